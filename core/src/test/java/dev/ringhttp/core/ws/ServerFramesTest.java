package dev.ringhttp.core.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

    @Test
    void headerLengthUsesTheMinimalEncoding() {
        assertThat(ServerFrames.headerLength(0)).isEqualTo(2);
        assertThat(ServerFrames.headerLength(125)).isEqualTo(2);
        assertThat(ServerFrames.headerLength(126)).isEqualTo(4);
        assertThat(ServerFrames.headerLength(65535)).isEqualTo(4);
        assertThat(ServerFrames.headerLength(65536)).isEqualTo(10);
        assertThat(ServerFrames.headerLength(Integer.MAX_VALUE)).isEqualTo(10);
        assertThatThrownBy(() -> ServerFrames.headerLength(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesHeadersInNetworkOrderWhateverTheBufferOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(32).order(order);
            assertThat(ServerFrames.writeHeader(buffer, 1, ServerFrames.OPCODE_TEXT, 125)).isEqualTo(2);
            assertThat(bytes(buffer, 1, 2)).containsExactly(0x81, 125);
            assertThat(ServerFrames.writeHeader(buffer, 3, ServerFrames.OPCODE_BINARY, 126)).isEqualTo(4);
            assertThat(bytes(buffer, 3, 4)).containsExactly(0x82, 126, 0x00, 0x7E);
            assertThat(ServerFrames.writeHeader(buffer, 7, ServerFrames.OPCODE_TEXT, 65535)).isEqualTo(4);
            assertThat(bytes(buffer, 7, 4)).containsExactly(0x81, 126, 0xFF, 0xFF);
            assertThat(ServerFrames.writeHeader(buffer, 11, ServerFrames.OPCODE_BINARY, 65536)).isEqualTo(10);
            assertThat(bytes(buffer, 11, 10)).containsExactly(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0);
            assertThat(buffer.position()).isZero();
        }
    }

    @Test
    void rejectsReservedOpcodesAndLongControlFrames() {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        assertThatThrownBy(() -> ServerFrames.writeHeader(buffer, 0, 3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerFrames.writeHeader(buffer, 0, 0xB, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerFrames.writeHeader(buffer, 0, ServerFrames.OPCODE_PING, 126))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCompressedDataFrameCarriesRsv1AndAControlFrameCannot() {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        assertThat(ServerFrames.writeHeader(buffer, 0, ServerFrames.OPCODE_TEXT | ServerFrames.COMPRESSED, 300)).isEqualTo(4);
        assertThat(buffer.get(0) & 0xFF).isEqualTo(0xC1);
        ServerFrames.writeHeader(buffer, 0, ServerFrames.OPCODE_BINARY | ServerFrames.COMPRESSED, 3);
        assertThat(buffer.get(0) & 0xFF).isEqualTo(0xC2);
        ServerFrames.writeHeader(buffer, 0, ServerFrames.OPCODE_TEXT, 3);
        assertThat(buffer.get(0) & 0xFF).isEqualTo(0x81);
        for (int control : new int[] {ServerFrames.OPCODE_PING, ServerFrames.OPCODE_PONG, ServerFrames.OPCODE_CLOSE,
                ServerFrames.OPCODE_CONTINUATION}) {
            assertThatThrownBy(() -> ServerFrames.writeHeader(buffer, 0, control | ServerFrames.COMPRESSED, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void writesCloseFrames() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(8);
        assertThat(ServerFrames.writeCloseFrame(buffer, 2, CloseFrames.TOO_BIG)).isEqualTo(4);
        assertThat(bytes(buffer, 2, 4)).containsExactly(0x88, 0x02, 0x03, 0xF1);
        assertThat(ServerFrames.writeCloseFrame(buffer, 0, CloseFrames.NORMAL)).isEqualTo(ServerFrames.CLOSE_FRAME_LENGTH);
        assertThat(bytes(buffer, 0, 4)).containsExactly(0x88, 0x02, 0x03, 0xE8);
        assertThat(ServerFrames.writeCloseFrame(buffer, 0, CloseFrames.NO_STATUS_CODE)).isEqualTo(2);
        assertThat(bytes(buffer, 0, 2)).containsExactly(0x88, 0x00);
        assertThatThrownBy(() -> ServerFrames.writeCloseFrame(buffer, 0, 1006)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesPongsEchoingThePayload() {
        ByteBuffer src = ByteBuffer.allocateDirect(200);
        for (int i = 0; i < 200; i++) {
            src.put(i, (byte) i);
        }
        ByteBuffer dst = ByteBuffer.allocateDirect(200);
        assertThat(ServerFrames.writePong(dst, 5, src, 10, 3)).isEqualTo(5);
        assertThat(bytes(dst, 5, 5)).containsExactly(0x8A, 3, 10, 11, 12);
        assertThat(ServerFrames.writePong(dst, 0, src, 0, 125)).isEqualTo(ServerFrames.MAX_PONG_LENGTH);
        assertThat(ServerFrames.writePong(dst, 0, src, 0, 0)).isEqualTo(2);
        assertThatThrownBy(() -> ServerFrames.writePong(dst, 0, src, 0, 126)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeCodes() {
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
        int[] invalid = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        for (int code : valid) {
            assertThat(CloseFrames.isValidCode(code)).as("%d", code).isTrue();
        }
        for (int code : invalid) {
            assertThat(CloseFrames.isValidCode(code)).as("%d", code).isFalse();
        }
    }

    private static int[] bytes(ByteBuffer buffer, int index, int length) {
        int[] bytes = new int[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = buffer.get(index + i) & 0xFF;
        }
        return bytes;
    }
}
