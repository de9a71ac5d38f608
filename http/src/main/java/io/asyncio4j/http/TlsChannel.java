package io.asyncio4j.http;

import io.asyncio4j.EventLoop;
import io.asyncio4j.TimeoutError;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * https on the loop's own selector: TLS by a JDK {@link SSLEngine} over a connected non-blocking
 * {@link SocketChannel}, waiting for the network only through {@link EventLoop#sockRecvInto} and
 * {@link EventLoop#sockSendAll}, as plain http does ({@link Wire.OfChannel}). To the {@link HttpConnection}
 * above it, it is a byte stream like any other wire: what it writes is encrypted into TLS records and sent,
 * what it reads is what the server's records carry, decrypted.
 *
 * <p>What the user sees: the server's certificate is checked against the session's trusted CAs and its name
 * against the URL's host (the engine's endpoint identification is {@code "HTTPS"}, as browsers and the JDK's
 * own client check it), the host name is sent as SNI, and ALPN offers {@code http/1.1}. A failed check fails
 * the handshake with an {@link SSLHandshakeException} whose message says what was wrong (not trusted,
 * expired, another name), and the session raises it as {@link ClientConnectionError}. Closing sends the
 * TLS {@code close_notify} alert before the TCP close. A server that closes the connection in the middle of
 * a TLS record (a truncated record) is an {@link EOFException}, so a {@link ClientConnectionError}, never a
 * short body taken for a whole one. Messages after the handshake (TLS 1.3 session tickets and
 * {@code KeyUpdate}, a TLS 1.2 server's renegotiation) are answered inside {@link #read}: the engine says
 * what it needs (send, receive, run a task) and the read does it before it returns data.
 *
 * <h2>Timeouts and cancellation</h2>
 * The handshake is bounded by whoever calls {@link #handshake} (the transport: the connect timeout); each
 * read after it by the read timeout ({@link #readTimeout}), which raises {@link SocketTimeoutException}. A
 * cancel of the waiting task ends its wait with {@link io.asyncio4j.CancelledError}; the buffers are left
 * consistent, but the caller drops the connection anyway (a cancelled exchange is never reused).
 *
 * <h2>Thread-safety</h2>
 * One task at a time reads and writes (its connection's owner); {@link #close()} may come from any thread
 * (the session's close). As with {@link Wire.OfChannel}, a close while a task waits only shuts the socket
 * down, which wakes the task with the end of the stream, and the task's failure path closes it.
 */
final class TlsChannel extends Wire.OnChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    // received bytes not yet unwrapped, flipped (ready to unwrap) between calls; the using task only
    private ByteBuffer netIn;
    // decrypted bytes not yet returned by read, flipped between calls; the using task only
    private ByteBuffer appIn;
    // encrypted bytes being sent, cleared between calls; the using task only
    private ByteBuffer netOut;
    // appIn as the one-element array SSLEngine.unwrap takes (its one-buffer form makes one per call), and the
    // same for what wrap encrypts; the using task only
    private final ByteBuffer[] appInArray = new ByteBuffer[1];
    private final ByteBuffer[] srcArray = new ByteBuffer[1];
    // the server's close_notify arrived: every later read is the end of the stream; the using task only
    private boolean inboundDone;
    // close() ran (it runs once); any thread
    private volatile boolean closed;

    /** TLS over the connected non-blocking {@code channel} of {@code loop}, by the client-mode {@code engine}. */
    TlsChannel(SocketChannel channel, EventLoop loop, SSLEngine engine) {
        super(channel, loop);
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet).flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        netOut = ByteBuffer.allocate(packet);
    }

    /**
     * Runs the TLS handshake to its end: certificate and name checks included. Unbounded in time itself: the
     * caller bounds it (the connect timeout).
     *
     * @throws SSLHandshakeException when the server's certificate is refused or the server ends the handshake;
     *     the message says why, the cause is the JDK's
     * @return the TLS session it made or resumed
     * @throws IOException when the connection fails
     */
    SSLSession handshake(String host, int port) throws IOException {
        busy = true;
        try {
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrapAndSend(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (unwrapOnce() != SSLEngineResult.Status.OK) {
                            throw new SSLHandshakeException("the server closed the connection during the TLS handshake");
                        }
                    }
                    case NEED_TASK -> runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        return engine.getSession();
                    }
                }
            }
        } catch (SSLHandshakeException e) {
            throw explained(e, host, port);
        } catch (EOFException e) {
            SSLHandshakeException h = new SSLHandshakeException("TLS handshake with " + host + ":" + port
                    + " failed: the server closed the connection during it");
            h.initCause(e);
            throw h;
        } finally {
            busy = false;
        }
    }

    /** The handshake failure {@code e} with a message that says what was wrong with the server's certificate. */
    static SSLHandshakeException explained(SSLHandshakeException e, String host, int port) {
        String why = e.getMessage();
        Throwable expired = cause(e, t -> t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED);
        Throwable untrusted = cause(e, t -> t instanceof CertPathValidatorException
                || t.getClass().getName().endsWith("SunCertPathBuilderException"));
        Throwable otherName = cause(e, t -> t instanceof java.security.cert.CertificateException && t.getMessage() != null
                && t.getMessage().startsWith("No ")); // "No subject alternative names matching ...", "No name matching ..."
        if (expired != null) {
            why = "the server's certificate is outside its validity period (" + expired.getMessage() + ")";
        } else if (untrusted != null) {
            why = "the server's certificate is not issued by a trusted CA (give the session its CA with "
                    + "ClientSession.builder().trustStore(...) or sslContext(...)): " + untrusted.getMessage();
        } else if (otherName != null) {
            why = "the server's certificate is not for " + host + ": " + otherName.getMessage();
        }
        SSLHandshakeException x = new SSLHandshakeException("TLS handshake with " + host + ":" + port + " failed: " + why);
        x.initCause(e);
        return x;
    }

    /** The first of {@code e}'s cause chain that {@code test} accepts, or null. */
    private static Throwable cause(Throwable e, java.util.function.Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public boolean stillOpen(byte[] scratch, int millis, int readMillis) {
        try {
            // a session ticket or a KeyUpdate is consumed by the read, which goes on waiting for data
            Wire.within(Duration.ofMillis(millis), () -> in().read(scratch, 0, scratch.length));
            return false; // data nobody asked for, or the end of the stream
        } catch (TimeoutError quiet) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (shutDownUnderTask() || closed) {
            return;
        }
        closed = true;
        try {
            // close_notify, without waiting: a full send buffer drops it, as a reset peer would
            engine.closeOutbound();
            ByteBuffer alert = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(EMPTY, alert);
            alert.flip();
            if (channel.isConnected()) {
                channel.write(alert);
            }
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundDone || unwrapOnce() != SSLEngineResult.Status.OK) {
                return -1;
            }
            afterUnwrap();
        }
        int n = Math.min(len, appIn.remaining());
        appIn.get(b, off, n);
        return n;
    }

    /** Does what the engine asks for after a record that was not data: a KeyUpdate's answer, a renegotiation. */
    private void afterUnwrap() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapAndSend(EMPTY);
                default -> {
                    return; // NEED_UNWRAP: the next unwrap goes on; done otherwise
                }
            }
        }
    }

    /**
     * Unwraps one record of what has arrived into {@link #appIn}, receiving more while no whole record is
     * there. OK (the record may have carried no data), CLOSED (the server's close_notify), or null at the
     * end of the stream between records. The engine is asked only once a whole record is there: an unwrap
     * that would only answer BUFFER_UNDERFLOW (once per response otherwise) is not made.
     *
     * @throws EOFException when the stream ends in the middle of a record
     */
    private SSLEngineResult.Status unwrapOnce() throws IOException {
        while (true) {
            if (!wholeRecord()) {
                if (!receiveMore()) {
                    return null;
                }
                continue;
            }
            SSLEngineResult r;
            appIn.compact();
            try {
                appInArray[0] = appIn;
                r = engine.unwrap(netIn, appInArray, 0, 1);
            } finally {
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    return SSLEngineResult.Status.OK;
                }
                case CLOSED -> {
                    inboundDone = true;
                    return SSLEngineResult.Status.CLOSED;
                }
                case BUFFER_OVERFLOW -> appIn = grown(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (!receiveMore()) {
                        return null;
                    }
                }
            }
        }
    }

    /**
     * Whether {@link #netIn} may hold a whole TLS record: its 5-byte header and as many bytes as the header's
     * length says. A length beyond the buffer is left to the engine to judge (it grows the buffer or fails).
     */
    private boolean wholeRecord() {
        int n = netIn.remaining();
        if (n < 5) {
            return false;
        }
        int p = netIn.position();
        int record = 5 + (((netIn.get(p + 3) & 0xff) << 8) | (netIn.get(p + 4) & 0xff));
        return n >= record || record > netIn.capacity();
    }

    /**
     * Receives more of the current record into {@link #netIn} (grown when full); false at the end of the stream
     * between records.
     *
     * @throws EOFException when the stream ends in the middle of a record
     */
    private boolean receiveMore() throws IOException {
        if (netIn.limit() == netIn.capacity() && netIn.position() == 0) {
            netIn = grown(netIn, engine.getSession().getPacketBufferSize());
        }
        if (receive() < 0) {
            if (netIn.hasRemaining()) {
                throw new EOFException("connection closed by the server in the middle of a TLS record");
            }
            return false;
        }
        return true;
    }

    /** Reads what the channel has into {@link #netIn} (waiting for at least a byte); -1 at its end. */
    private int receive() throws IOException {
        netIn.compact();
        try {
            return receive(netIn);
        } finally {
            netIn.flip();
        }
    }

    /** A flipped copy of the flipped {@code b} with room for at least {@code size} more bytes. */
    private static ByteBuffer grown(ByteBuffer b, int size) {
        ByteBuffer bigger = ByteBuffer.allocate(b.remaining() + Math.max(size, b.capacity()));
        bigger.put(b);
        return bigger.flip();
    }

    // ---- writing ----------------------------------------------------------------------------------------

    @Override
    void write(ByteBuffer src) throws IOException {
        wrapAndSend(src);
    }

    /** Encrypts all of {@code src} (nothing: a handshake message the engine has to send) and sends it. */
    private void wrapAndSend(ByteBuffer src) throws IOException {
        do {
            netOut.clear();
            srcArray[0] = src;
            SSLEngineResult r = engine.wrap(srcArray, 0, 1, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    netOut = ByteBuffer.allocate(netOut.capacity() + engine.getSession().getPacketBufferSize());
                    continue;
                }
                case CLOSED -> throw new SSLException("the TLS connection is closed");
                default -> {
                    // OK; BUFFER_UNDERFLOW does not happen on wrap
                }
            }
            netOut.flip();
            if (netOut.hasRemaining()) {
                loop.sockSendAll(channel, netOut);
            } else if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (src.hasRemaining() && r.bytesConsumed() == 0) {
                // a renegotiation waits for the server's next message before data may go out
                if (unwrapOnce() != SSLEngineResult.Status.OK) {
                    throw new EOFException("connection closed by the server during a TLS renegotiation");
                }
            }
        } while (src.hasRemaining());
    }

    /**
     * Runs the engine's delegated tasks (the handshake's certificate checks and key computations) here, on the
     * loop, as the JDK's SSLSocket does in the task's own thread: handing them to a worker thread and back
     * costs more than it saves (W8 halved on two cores when they ran through {@code Asyncio.toThread}).
     */
    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
