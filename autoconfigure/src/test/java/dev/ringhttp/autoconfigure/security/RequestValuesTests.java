package dev.ringhttp.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** Query parameters and cookies read one at a time, and all the parameters of a query or form body. */
class RequestValuesTests {

    @Test
    void findsTheFirstValueOfAQueryParameterDecoded() {
        assertThat(RequestValues.queryParameter("a=1&token=x%2By&token=2", "token")).isEqualTo("x+y");
        assertThat(RequestValues.queryParameter("q=a+b&flag", "q")).isEqualTo("a b");
        assertThat(RequestValues.queryParameter("q=a+b&flag", "flag")).isEqualTo("");
        assertThat(RequestValues.queryParameter("&&t%6Fken=1&", "token")).isEqualTo("1");
        assertThat(RequestValues.queryParameter("tokens=1", "token")).isNull();
        assertThat(RequestValues.queryParameter("", "token")).isNull();
        assertThat(RequestValues.queryParameter(null, "token")).isNull();
    }

    @Test
    void parsesEveryParameterInOrderWithAllItsValues() {
        MultiValueMap<String, String> all = new LinkedMultiValueMap<>();
        RequestValues.parameters("tag=a%3Ab&tag=c&&name=x+y&flag", all);
        assertThat(all).containsExactly(entry("tag", List.of("a:b", "c")), entry("name", List.of("x y")),
                entry("flag", List.of("")));
        RequestValues.parameters(null, all);
        assertThat(all).hasSize(3);
        assertThatIllegalArgumentException().isThrownBy(() -> RequestValues.parameters("bad=%zz", all));
    }

    @Test
    void findsACookieByItsExactName() {
        assertThat(RequestValues.cookieIn("a=1; session=abc; b=2", "session")).isEqualTo("abc");
        assertThat(RequestValues.cookieIn("session=\"quoted\"", "session")).isEqualTo("quoted");
        assertThat(RequestValues.cookieIn("Session=abc", "session")).isNull();
        assertThat(RequestValues.cookieIn("xsession=abc;session", "session")).isNull();
        assertThat(RequestValues.cookieIn("a=b=c", "a")).isEqualTo("b=c");
        assertThat(RequestValues.cookieIn("", "a")).isNull();
    }
}
