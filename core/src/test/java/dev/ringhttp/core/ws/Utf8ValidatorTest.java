package dev.ringhttp.core.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {
    private static final int[] BOUNDARY_CODE_POINTS = {
        0x0000, 0x007F, 0x0080, 0x07FF, 0x0800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF,
    };

    /** Invalid inputs and the index of the first byte that makes them invalid. */
    private static final Object[][] INVALID = {
        {bytes(0xC0, 0x80), 0},                  // overlong 2-byte U+0000 (lead C0)
        {bytes(0xC1, 0xBF), 0},                  // overlong 2-byte U+007F (lead C1)
        {bytes(0xE0, 0x80, 0x80), 1},            // overlong 3-byte U+0000
        {bytes(0xE0, 0x9F, 0xBF), 1},            // overlong 3-byte U+07FF
        {bytes(0xF0, 0x80, 0x80, 0x80), 1},      // overlong 4-byte U+0000
        {bytes(0xF0, 0x8F, 0xBF, 0xBF), 1},      // overlong 4-byte U+FFFF
        {bytes(0xED, 0xA0, 0x80), 1},            // U+D800
        {bytes(0xED, 0xBF, 0xBF), 1},            // U+DFFF
        {bytes(0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80), 1}, // CESU-8 surrogate pair
        {bytes(0xF4, 0x90, 0x80, 0x80), 1},      // U+110000
        {bytes(0xF5, 0x80, 0x80, 0x80), 0},
        {bytes(0xF7, 0xBF, 0xBF, 0xBF), 0},
        {bytes(0xF8, 0x88, 0x80, 0x80, 0x80), 0},
        {bytes(0xFE), 0},
        {bytes(0xFF), 0},
        {bytes('a', 0x80), 1},                   // stray continuation
        {bytes('a', 'b', 'c', 0xBF, 'd'), 3},
        {bytes(0xC3, 0xA9, 0xA9), 2},            // one continuation too many
        {bytes(0xC3, 'a'), 1},                   // truncated, then ASCII
        {bytes(0xE2, 0x82, 'a'), 2},
        {bytes(0xF0, 0x9F, 0x98, 'a'), 3},
        {bytes(0xE2, 0x82, 0xC3, 0xA9), 2},      // truncated, then a new lead
        {bytes('0', '1', '2', '3', '4', '5', '6', '7', '8', 0xC0), 9},
    };

    /** Valid prefixes that end inside a sequence: invalid only as complete input. */
    private static final byte[][] TRUNCATED = {
        bytes(0xC3), bytes(0xE2, 0x82), bytes(0xE2), bytes(0xF0, 0x9F, 0x98), bytes('a', 'b', 0xF4, 0x8F),
    };

    @Test
    void acceptsBoundaryCodePoints() {
        for (int codePoint : BOUNDARY_CODE_POINTS) {
            byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            assertThat(validateWhole(encoded)).as("U+%04X", codePoint).isTrue();
            assertThat(validateSplitEverywhere(encoded)).as("U+%04X split", codePoint).isTrue();
        }
        byte[] all = new StringBuilder().appendCodePoint(0x10FFFF).append("ascii text over eight")
                .appendCodePoint(0x80).appendCodePoint(0xFFFF).toString().getBytes(StandardCharsets.UTF_8);
        assertThat(validateWhole(all)).isTrue();
        assertThat(validateSplitEverywhere(all)).isTrue();
    }

    @Test
    void failsAtTheFirstInvalidByte() {
        for (Object[] invalid : INVALID) {
            byte[] input = (byte[]) invalid[0];
            int expectedIndex = (int) invalid[1];
            assertThat(firstFailure(input)).as(hex(input)).isEqualTo(expectedIndex);
            assertThat(validateWhole(input)).as(hex(input)).isFalse();
            assertThat(validateSplitEverywhere(input)).as(hex(input)).isFalse();
        }
    }

    @Test
    void truncatedSequencesAreIncompleteButNotFailed() {
        for (byte[] input : TRUNCATED) {
            Utf8Validator validator = new Utf8Validator();
            assertThat(validator.accept(input, 0, input.length)).as(hex(input)).isTrue();
            assertThat(validator.isComplete()).as(hex(input)).isFalse();
            assertThat(validator.isFailed()).isFalse();
            assertThat(validateWhole(input)).isFalse();
        }
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.accept(bytes(0xFF), 0, 1)).isFalse();
        assertThat(validator.accept(bytes('a'), 0, 1)).isFalse();
        assertThat(validator.accept(new byte[0], 0, 0)).isFalse();
        validator.reset();
        assertThat(validator.accept(bytes('a'), 0, 1)).isTrue();
        assertThat(validator.isComplete()).isTrue();
    }

    @Test
    void bufferPathHonoursAbsoluteIndexesAndKeepsPosition() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        byte[] text = "xx héllo wörld, 😀 and more ascii".getBytes(StandardCharsets.UTF_8);
        buffer.put(3, text);
        buffer.put(3 + text.length, (byte) 0xFF);
        buffer.position(7);
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.accept(buffer, 3, 3 + text.length)).isTrue();
        assertThat(validator.isComplete()).isTrue();
        assertThat(validator.accept(buffer, 3 + text.length, 4 + text.length)).isFalse();
        assertThat(buffer.position()).isEqualTo(7);
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInput() {
        Random random = new Random(6455);
        CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int valid = 0;
        for (int round = 0; round < 5000; round++) {
            byte[] input = randomInput(random);
            boolean expected = jdkAccepts(jdk, input);
            valid += expected ? 1 : 0;
            assertThat(validateWhole(input)).as(hex(input)).isEqualTo(expected);
            assertThat(validateBuffer(input, random)).as(hex(input)).isEqualTo(expected);
            int failure = firstFailure(input);
            if (failure >= 0) {
                // not too early: the bytes before the failing one are a valid prefix (the JDK
                // decoder waits for a whole sequence before rejecting surrogates, so how early
                // the failure comes is checked by failsAtTheFirstInvalidByte instead)
                assertThat(jdkMalformedPrefix(jdk, input, failure)).as(hex(input)).isFalse();
            }
        }
        assertThat(valid).isBetween(1000, 4000);
    }

    private static byte[] randomInput(Random random) {
        StringBuilder text = new StringBuilder();
        int characters = random.nextInt(12);
        for (int i = 0; i < characters; i++) {
            int kind = random.nextInt(5);
            int codePoint = switch (kind) {
                case 0 -> random.nextInt(0x80);
                case 1 -> BOUNDARY_CODE_POINTS[random.nextInt(BOUNDARY_CODE_POINTS.length)];
                case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 3 -> random.nextBoolean() ? 0x800 + random.nextInt(0xD800 - 0x800) : 0xE000 + random.nextInt(0x2000);
                default -> 0x10000 + random.nextInt(0x100000);
            };
            text.appendCodePoint(codePoint);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextBoolean()) {
            int mutations = 1 + random.nextInt(2);
            for (int i = 0; i < mutations; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
        }
        if (random.nextInt(10) == 0 && bytes.length > 0) {
            bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        return bytes;
    }

    private static boolean jdkAccepts(CharsetDecoder jdk, byte[] input) {
        try {
            jdk.reset().decode(ByteBuffer.wrap(input));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether the JDK already reports malformed input in the first {@code length} bytes, more to come. */
    private static boolean jdkMalformedPrefix(CharsetDecoder jdk, byte[] input, int length) {
        jdk.reset();
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(input.length * 2 + 2);
        return jdk.decode(ByteBuffer.wrap(input, 0, length), out, false).isMalformed();
    }

    private static boolean validateWhole(byte[] input) {
        Utf8Validator validator = new Utf8Validator();
        return validator.accept(input, 0, input.length) && validator.isComplete();
    }

    /** Through a direct buffer at a random offset, split in two at a random point. */
    private static boolean validateBuffer(byte[] input, Random random) {
        int offset = random.nextInt(9);
        ByteBuffer buffer = ByteBuffer.allocateDirect(offset + input.length);
        buffer.put(offset, input);
        int split = offset + random.nextInt(input.length + 1);
        Utf8Validator validator = new Utf8Validator();
        return validator.accept(buffer, offset, split)
                && validator.accept(buffer, split, offset + input.length)
                && validator.isComplete();
    }

    /** Whether every split in two calls, both as arrays and through a buffer, gives the same answer. */
    private static boolean validateSplitEverywhere(byte[] input) {
        boolean whole = validateWhole(input);
        ByteBuffer buffer = ByteBuffer.allocateDirect(input.length).put(0, input);
        Utf8Validator validator = new Utf8Validator();
        for (int split = 0; split <= input.length; split++) {
            validator.reset();
            boolean arrays = validator.accept(input, 0, split) && validator.accept(input, split, input.length)
                    && validator.isComplete();
            validator.reset();
            boolean buffers = validator.accept(buffer, 0, split) && validator.accept(buffer, split, input.length)
                    && validator.isComplete();
            assertThat(arrays).as("split at %d of %s", split, hex(input)).isEqualTo(whole);
            assertThat(buffers).as("split at %d of %s", split, hex(input)).isEqualTo(whole);
        }
        return whole;
    }

    /** The index of the byte at which byte-by-byte validation fails, or -1. */
    private static int firstFailure(byte[] input) {
        Utf8Validator validator = new Utf8Validator();
        for (int i = 0; i < input.length; i++) {
            if (!validator.accept(input, i, i + 1)) {
                return i;
            }
        }
        return -1;
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static String hex(byte[] bytes) {
        List<String> parts = new ArrayList<>();
        for (byte b : bytes) {
            parts.add(String.format("%02X", b & 0xFF));
        }
        return String.join(" ", parts);
    }
}
