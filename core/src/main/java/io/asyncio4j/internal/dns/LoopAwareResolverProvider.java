package io.asyncio4j.internal.dns;

import io.asyncio4j.Asyncio;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Name resolution that does not block an event loop. The JDK resolves names with a native call that holds
 * its carrier thread; on a loop that is every task. When a lookup is made from a task, this resolver parks
 * the task and resolves on a small pool of platform threads; everywhere else it is the JDK's built-in
 * resolver. Installed JVM-wide through {@code java.net.spi.InetAddressResolverProvider}.
 */
public final class LoopAwareResolverProvider extends InetAddressResolverProvider {
    private static final ThreadPoolExecutor POOL = newPool();

    private static ThreadPoolExecutor newPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon(true).name("asyncio4j-dns-", 1).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (Asyncio.currentTask() == null) {
                    return builtin.lookupByName(host, policy);
                }
                return offLoop(() -> builtin.lookupByName(host, policy).toList()).stream();
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                if (Asyncio.currentTask() == null) {
                    return builtin.lookupByAddress(addr);
                }
                return offLoop(() -> builtin.lookupByAddress(addr));
            }
        };
    }

    private static <T> T offLoop(Callable<T> lookup) throws UnknownHostException {
        try {
            return Asyncio.runInExecutor(POOL, lookup);
        } catch (CompletionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return "asyncio4j loop-aware resolver";
    }

}
