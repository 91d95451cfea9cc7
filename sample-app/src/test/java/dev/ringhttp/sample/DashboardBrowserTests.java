package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RawConnection;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The dashboard in a real browser: the system's headless Chromium, driven
 * through the system's chromedriver (Selenium Manager is never asked to
 * download anything). Skipped when either is missing, so a machine without
 * them still builds; CI installs the Debian packages chromium and
 * chromium-driver. Leaves a screenshot in {@code target/dashboard.png}.
 */
@SampleAppTest
class DashboardBrowserTests {

    /** The Debian packages' paths; system properties sample.chromium and sample.chromedriver override them. */
    private static final Path CHROMIUM = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalRingHttpPort
    int port;

    @Autowired
    RingHttpServer server;

    /** Posting in the chat needs it; the page reads it from its own address. */
    @Value("${sample.chat.token}")
    String chatToken;

    private Path profile;
    private ChromeDriverService service;
    private WebDriver driver;

    @BeforeEach
    void startBrowser() throws IOException {
        // Here rather than in @BeforeAll so that reports count the test as skipped, not as absent.
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing (Debian package chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " is missing (Debian package chromium-driver)");
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("ringhttp-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1600,1000");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withTimeout(WAIT).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1600, 1000));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void dashboardShowsLiveFiguresAndChats() throws Exception {
        driver.get("http://localhost:" + port + "/?token=" + chatToken);  // the page passes it on to /ws/chat
        assertThat(driver.getTitle()).contains("ringhttp");
        WebDriverWait wait = new WebDriverWait(driver, WAIT);

        // Live updates arrive over /ws/live: the counter climbs and the figures fill in.
        wait.until(d -> updates(d) >= 1);
        int first = updates(driver);
        wait.until(d -> updates(d) >= first + 2);
        wait.until(d -> d.findElement(By.id("status")).getAttribute("class").contains("live"));
        assertThat(driver.findElement(By.id("v-ws")).getText()).isNotEqualTo("–");

        // Some traffic, so the charts have something to draw; the page's own load button too.
        driver.findElement(By.id("load")).click();
        generateLoad(Duration.ofSeconds(3));
        String rps = driver.findElement(By.id("v-rps")).getText();
        assertThat(rps).isNotEqualTo("–");

        // Connections that close for different reasons show up in the closes panel.
        closeSomeConnections();
        wait.until(d -> d.findElement(By.id("closes")).getText().contains("UNKNOWN_METHOD"));

        // A chat line typed into the page comes back through the /ws/chat broadcast.
        wait.until(d -> d.findElement(By.id("chat-send")).isEnabled());
        WebElement input = driver.findElement(By.id("chat-input"));
        input.sendKeys("hello from headless Chromium");
        driver.findElement(By.id("chat-send")).click();
        wait.until(d -> d.findElement(By.id("chat-log")).getText().contains("hello from headless Chromium"));
        assertThat(input.getAttribute("value")).isEmpty();

        int before = updates(driver);
        wait.until(d -> updates(d) > before);

        // Chromium offers permessage-deflate and, with it agreed, compresses what it sends: a long
        // message to /ws/echo arrives compressed, is inflated, and comes back deflated by the server
        // (RSV1), which Chromium inflates: the page sees it whole.
        long deflatedBefore = server.counters().deflateBytesIn();
        Object echoed = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const ws = new WebSocket('ws://localhost:" + port + "/ws/echo');"
                + "ws.onerror = () => done('error');"
                + "ws.onopen = () => {"
                + "  const agreed = ws.extensions;"
                + "  ws.onmessage = (m) => { ws.close(); done(agreed + '|' + m.data); };"
                + "  ws.send('compress me '.repeat(500));"
                + "};");
        assertThat(String.valueOf(echoed)).isEqualTo(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover|" + "compress me ".repeat(500));
        assertThat(server.counters().deflateBytesIn() - deflatedBefore).as("the echo went out deflated")
                .isGreaterThanOrEqualTo("compress me ".repeat(500).length());

        Path screenshot = Path.of("target", "dashboard.png");
        Files.createDirectories(screenshot.getParent());
        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
    }

    private static int updates(WebDriver d) {
        String value = d.findElement(By.id("updates")).getAttribute("data-updates");
        return value == null ? 0 : Integer.parseInt(value);
    }

    /** Closes connections the ways clients do: Connection: close, HTTP/1.0, a WebSocket close, bad input. */
    private void closeSomeConnections() throws Exception {
        for (int i = 0; i < 3; i++) {
            exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
        exchange("GET /hello HTTP/1.0\r\n\r\n");
        exchange("BREW /coffee HTTP/1.1\r\nHost: localhost\r\n\r\n");
        exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        try (JdkWebSocket ws = JdkWebSocket.connect(port, "/ws/echo")) {
            ws.sendText("bye");
            ws.next();
        }
    }

    /** Sends {@code request} on a fresh socket and reads until the server closes it. */
    private void exchange(String request) throws IOException {
        RawConnection.requestUntilClose(port, request);
    }

    /** Requests /hello for a while, a few at a time, like a small benchmark. */
    private void generateLoad(Duration duration) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest hello = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hello")).build();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 20; i++) {
                client.send(hello, HttpResponse.BodyHandlers.discarding());
            }
            Thread.sleep(10);
        }
    }
}
