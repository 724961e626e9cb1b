package dev.gort.examples;

import dev.gort.Go;
import dev.gort.sync.WaitGroup;
import java.io.PrintStream;

/**
 * The example programs of the two articles Gort was created from, written against the public API.
 */
public final class Seeds {
    private Seeds() {}

    /**
     * The first article's program:
     * <pre>
     * func main() {
     *     var wg sync.WaitGroup
     *     wg.Add(11)
     *     for i := 0; i <= 10; i++ {
     *         go func(i int) {
     *             defer wg.Done()
     *             fmt.Printf("loop i is - %d\n", i)
     *         }(i)
     *     }
     *     wg.Wait()
     *     fmt.Println("Hello, Welcome to Go")
     * }
     * </pre>
     * Call it from a goroutine (the main goroutine of {@link Go#main}).
     */
    public static void loop(PrintStream out) {
        WaitGroup wg = new WaitGroup();
        wg.add(11);
        for (int i = 0; i <= 10; i++) {
            int n = i;
            Go.go(() -> {
                try {
                    out.printf("loop i is - %d%n", n);
                } finally {
                    wg.done();
                }
            });
        }
        wg.await();
        out.println("Hello, Welcome to Go");
    }

    /** Runs {@link #loop} as a program. */
    public static void main(String[] args) {
        Go.main(() -> loop(System.out));
    }
}
