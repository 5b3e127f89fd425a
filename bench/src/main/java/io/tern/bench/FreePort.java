package io.tern.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Prints loopback TCP ports that were free a moment ago, one per line; used by {@code bench/run.sh}. */
public final class FreePort {

    private FreePort() {
    }

    /** {@code args[0]}: how many distinct ports to print (default 1). */
    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        ServerSocket[] held = new ServerSocket[count];
        try {
            // Hold all sockets open until every port is chosen so the ports are distinct.
            for (int i = 0; i < count; i++) {
                held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                System.out.println(held[i].getLocalPort());
            }
        } finally {
            for (ServerSocket socket : held) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
