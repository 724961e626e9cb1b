package dev.gort.internal.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} to and from {@link InetSocketAddress} (Go:
 * syscall's SockaddrInet4/SockaddrInet6 and net's sockaddrToTCP). Family and scope id are in host
 * order, the port in network order, the address bytes as they are.
 *
 * <pre>
 * sockaddr_in  (16): u16 family | u16 port | u8[4] addr | u8[8] zero
 * sockaddr_in6 (28): u16 family | u16 port | u32 flowinfo | u8[16] addr | u32 scope_id
 * </pre>
 */
final class Sockaddr {
    private Sockaddr() {}

    static final int SIZEOF_IN = 16;
    static final int SIZEOF_IN6 = 28;

    /** The address family a socket for ip needs. */
    static int family(InetAddress ip) {
        return ip instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6;
    }

    /**
     * Writes a into sa for a socket of the given family and returns the length to pass. An IPv4
     * address for an AF_INET6 socket (a dual-stack socket) is written IPv4-mapped, except the
     * wildcard 0.0.0.0, which becomes {@code ::} (all interfaces of both families).
     */
    static int encode(MemorySegment sa, int family, InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        sa.fill((byte) 0);
        short port = Short.reverseBytes((short) a.getPort());
        if (family == Libc.AF_INET) {
            sa.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
            sa.set(JAVA_SHORT, 2, port);
            MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 4, 4);
            return SIZEOF_IN;
        }
        sa.set(JAVA_SHORT, 0, (short) Libc.AF_INET6);
        sa.set(JAVA_SHORT, 2, port);
        if (ip.length == 4 && a.getAddress().isAnyLocalAddress()) {
            return SIZEOF_IN6; // :: is all zeros
        }
        if (ip.length == 4) {
            sa.set(JAVA_BYTE, 8 + 10, (byte) 0xff);
            sa.set(JAVA_BYTE, 8 + 11, (byte) 0xff);
            MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 8 + 12, 4);
        } else {
            MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 8, 16);
            if (a.getAddress() instanceof Inet6Address v6) {
                sa.set(JAVA_INT, 24, v6.getScopeId());
            }
        }
        return SIZEOF_IN6;
    }

    /** The address in sa, or null for a family we do not know. IPv4-mapped IPv6 gives IPv4, as Go. */
    static InetSocketAddress decode(MemorySegment sa) {
        int family = sa.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(Short.reverseBytes(sa.get(JAVA_SHORT, 2)));
        try {
            if (family == Libc.AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(sa, JAVA_BYTE, 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == Libc.AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(sa, JAVA_BYTE, 8, ip, 0, 16);
                int scope = sa.get(JAVA_INT, 24);
                InetAddress addr = InetAddress.getByAddress(ip); // Inet4Address if IPv4-mapped
                if (addr instanceof Inet6Address && scope != 0) {
                    addr = Inet6Address.getByAddress(null, ip, scope);
                }
                return new InetSocketAddress(addr, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only for a bad length, which cannot happen
        }
        return null;
    }
}
