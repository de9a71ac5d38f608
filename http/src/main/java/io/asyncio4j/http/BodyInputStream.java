package io.asyncio4j.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the two streamed-body types share ({@link StreamingBody} of the JDK client, {@link SocketBody} of the
 * socket transport): {@link #read()} in terms of {@link #read(byte[], int, int)}, which each implements.
 */
abstract class BodyInputStream extends InputStream {
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
