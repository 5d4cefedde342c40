// The backend of bench/proxy.sh: a small keep-alive HTTP/1.1 server that answers every request
// with "hello\n", one virtual thread per connection, so that the backend is not what limits the
// proxy benchmark. Run as the pod's container: java bench/HttpHello.java PORT
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public class HttpHello {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n")
            .getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port), 1024);
            System.out.println("listening on " + port);
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            }
        }
    }

    /** Answers each request (headers up to the blank line; requests have no body) until the client closes. */
    private static void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            OutputStream out = s.getOutputStream();
            int state = 0;
            for (int b; (b = in.read()) >= 0; ) {
                // Count the bytes of "\r\n\r\n"; the request ends there.
                state = b == '\r' ? (state == 2 ? 3 : 1) : b == '\n' ? (state == 1 ? 2 : state == 3 ? 4 : 0) : 0;
                if (state == 4) {
                    out.write(RESPONSE);
                    state = 0;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
