package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** select with Go's semantics (Go: runtime/chan_test.go TestSelect*). */
class SelectTest {

    /**
     * A goroutine's selects share one set of working arrays (Selectgo.Scratch, cached on its G). A
     * select run from another select's callback reuses them: the outer select's case and value
     * must already be safe, and a parked select must find its own cases when it wakes.
     */
    @Test
    void selectsNestedInCallbacksAndParkedSelectsOnOneGoroutine() throws Exception {
        Chan<String> out = Chan.make(16);
        Chan<Integer> a = Chan.make(1);
        Chan<Integer> b = Chan.make(1);
        Chan<Integer> late = Chan.make();
        Chan<Integer> never = Chan.make();
        Go.go(() -> {
            for (int round = 0; round < 200; round++) {
                a.send(1);
                b.send(2);
                int r = round;
                int i = Select.select(
                        Select.recv(never, v -> out.send("never fired")),
                        Select.recv(a, va -> {
                            // nested: a 3-case select (grows nothing: 4 slots) on the same goroutine
                            int j = Select.select(Select.recv(never, v -> out.send("never fired")),
                                    Select.recv(b, vb -> {
                                        if (va != 1 || vb != 2) {
                                            out.send("round " + r + ": values " + va + "," + vb);
                                        }
                                    }),
                                    Select.send(never, 9, () -> out.send("never fired")));
                            if (j != 1) {
                                out.send("round " + r + ": inner case " + j);
                            }
                        }));
                if (i != 1) {
                    out.send("round " + r + ": outer case " + i);
                }
            }
            // parked selects: a wider one (grows the scratch to 6), woken by another goroutine
            Go.go(() -> {
                for (int k = 0; k < 100; k++) {
                    late.send(k);
                }
            });
            for (int k = 0; k < 100; k++) {
                int kk = k;
                int i = Select.select(Select.recv(never, v -> {}), Select.recv(never, v -> {}),
                        Select.recv(never, v -> {}), Select.recv(never, v -> {}),
                        Select.send(never, 1, () -> {}),
                        Select.recv(late, v -> {
                            if (v != kk) {
                                out.send("parked select got " + v + " for " + kk);
                            }
                        }));
                if (i != 5) {
                    out.send("parked select fired case " + i);
                }
            }
            // a select wider than the arrays a G keeps (64 cases) gets arrays of its own
            Chan<Integer> last = Chan.make(1);
            last.send(7);
            Select.Case[] wide = new Select.Case[100];
            for (int k = 0; k < 99; k++) {
                wide[k] = Select.recv(never, v -> {});
            }
            wide[99] = Select.recv(last, v -> {
                if (v != 7) {
                    out.send("wide select got " + v);
                }
            });
            int w = Select.select(wide);
            if (w != 99) {
                out.send("wide select fired case " + w);
            }
            out.send("done");
        });
        String msg = out.recv();
        assertEquals("done", msg);
    }

    /** A send case that did not fire leaves no reference behind in the goroutine's cached arrays. */
    @Test
    void unsentValueIsNotRetainedAfterTheSelect() throws Exception {
        Chan<java.lang.ref.WeakReference<Object>> out = Chan.make(1);
        Chan<Object> full = Chan.make(1);
        full.send("occupant");
        Chan<Integer> ready = Chan.make(1);
        Chan<Integer> hold = Chan.make();
        Go.go(() -> {
            Object payload = new byte[1 << 20];
            java.lang.ref.WeakReference<Object> w = new java.lang.ref.WeakReference<>(payload);
            ready.send(1);
            int i = Select.select(Select.send(full, payload, () -> {}), Select.recv(ready, v -> {}));
            if (i != 1) {
                throw new AssertionError("send case fired on a full channel");
            }
            payload = null;
            out.send(w);
            hold.recv(); // stay alive (with the G and its scratch) until the check is done
        });
        java.lang.ref.WeakReference<Object> w = out.recv();
        for (int k = 0; k < 50 && w.get() != null; k++) {
            System.gc();
        }
        boolean cleared = w.get() == null;
        hold.close();
        assertTrue(cleared, "the unsent value is still reachable after the select returned");
    }

    /** Go's TestSelectFairness idea: two always-ready cases are each chosen about half the time. */
    @Test
    void fairAmongReadyCases() {
        Chan<Integer> a = Chan.make(1);
        Chan<Integer> b = Chan.make(1);
        int[] counts = new int[2];
        Select.Case ca = Select.recv(a, v -> counts[0]++);
        Select.Case cb = Select.recv(b, v -> counts[1]++);
        for (int i = 0; i < 10_000; i++) {
            a.trySend(1);
            b.trySend(2);
            Select.select(ca, cb);
        }
        assertTrue(counts[0] >= 4500 && counts[0] <= 5500, "a chosen " + counts[0] + " of 10000");
        assertTrue(counts[1] >= 4500 && counts[1] <= 5500, "b chosen " + counts[1] + " of 10000");
    }

    @Test
    void defaultWhenNothingReady() {
        Chan<Integer> ch = Chan.make();
        AtomicBoolean dflt = new AtomicBoolean();
        int i = Select.select(Select.recv(ch, v -> {}), Select.otherwise(() -> dflt.set(true)));
        assertEquals(1, i);
        assertTrue(dflt.get());
    }

    @Test
    void nilChannelCaseNeverFires() {
        Chan<Integer> ready = Chan.make(1);
        ready.send(5);
        AtomicInteger got = new AtomicInteger();
        for (int k = 0; k < 100; k++) {
            if (k > 0) {
                ready.send(5);
            }
            int i = Select.select(Select.recv(null, v -> got.set(-1)), Select.recv(ready, got::set));
            assertEquals(1, i);
            assertEquals(5, got.get());
        }
        int i = Select.select(Select.send(null, 1, () -> {}), Select.otherwise(() -> {}));
        assertEquals(1, i);
    }

    @Test
    void closedChannelRecvCaseFiresWithOkFalse() {
        Chan<String> ch = Chan.make();
        ch.close();
        AtomicReference<String> v = new AtomicReference<>("unset");
        AtomicBoolean ok = new AtomicBoolean(true);
        int i = Select.select(Select.recvOk(ch, (x, o) -> {
            v.set(x);
            ok.set(o);
        }));
        assertEquals(0, i);
        assertNull(v.get());
        assertFalse(ok.get());
    }

    @Test
    void sendCaseOnClosedChannelPanics() {
        Chan<String> ch = Chan.make(1);
        ch.close();
        Panic p = assertThrows(Panic.class, () -> Select.select(Select.send(ch, "x", () -> {})));
        assertEquals("send on closed channel", p.getMessage());
    }

    @Test
    void blockedSelectWokenBySenderAndCleansUpOtherCases() {
        Go.main(() -> {
            Chan<Integer> a = Chan.make();
            Chan<Integer> b = Chan.make();
            Chan<Integer> done = Chan.make(1);
            Go.go(() -> {
                int i = Select.select(Select.recv(a, v -> done.send(100 + v)), Select.recv(b, v -> done.send(200 + v)));
                assertTrue(i == 0 || i == 1);
            });
            b.send(7); // blocks until the select takes it
            assertEquals(207, done.recv());
            // The select's sudog on `a` was removed: a later receiver gets a's value, nothing is lost.
            Go.go(() -> a.send(1));
            assertEquals(1, a.recv());
        });
    }

    @Test
    void blockedSelectWokenByClose() {
        Go.main(() -> {
            Chan<Integer> a = Chan.make();
            Chan<String> out = Chan.make(1);
            Go.go(() -> Select.select(Select.recvOk(a, (v, ok) -> out.send("ok=" + ok))));
            for (int i = 0; i < 20; i++) {
                Go.gosched();
            }
            a.close();
            assertEquals("ok=false", out.recv());
        });
    }

    @Test
    void sendCaseCompletesWithReceiver() {
        Go.main(() -> {
            Chan<String> ch = Chan.make();
            AtomicBoolean sent = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            wg.go(() -> Select.select(Select.send(ch, "hello", () -> sent.set(true))));
            assertEquals("hello", ch.recv());
            wg.await();
            assertTrue(sent.get());
        });
    }

    /** Go's TestSelfSelect: one goroutine selecting send and recv on the same channel, twice over. */
    @Test
    void selfSelectOnSameChannel() {
        Go.main(() -> {
            for (int cap : new int[] {0, 10}) {
                Chan<Integer> c = Chan.make(cap);
                WaitGroup wg = new WaitGroup();
                for (int p = 0; p < 2; p++) {
                    int me = p;
                    wg.go(() -> {
                        for (int i = 0; i < 1000; i++) {
                            if (me == 0 || i % 2 == 0) {
                                Select.select(Select.send(c, me, () -> {}), Select.recv(c, v -> {
                                    if (cap == 0 && v == me) {
                                        throw new AssertionError("self receive");
                                    }
                                }));
                            } else {
                                Select.select(Select.recv(c, v -> {
                                    if (cap == 0 && v == me) {
                                        throw new AssertionError("self receive");
                                    }
                                }), Select.send(c, me, () -> {}));
                            }
                        }
                    });
                }
                wg.await();
            }
        });
    }

    /** Go's TestSelectDuplicateChannel: the same channel twice in one select. */
    @Test
    void duplicateChannelInOneSelect() {
        Go.main(() -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> d = Chan.make();
            Chan<Integer> e = Chan.make();
            Go.go(() -> {
                Select.select(Select.recv(c, v -> {}), Select.recv(c, v -> {}), Select.recv(d, v -> {}));
                e.send(9);
            });
            Go.go(() -> Select.select(Select.recv(c, v -> {})));
            for (int i = 0; i < 20; i++) {
                Go.gosched();
            }
            d.send(7);
            assertEquals(9, e.recv());
            c.send(8); // the second goroutine, not the first select's stale sudogs, takes it
        });
    }

    @Test
    void selectFromPlainThread() throws Exception {
        Chan<Integer> a = Chan.make();
        AtomicInteger got = new AtomicInteger();
        Thread t = new Thread(() -> Select.select(Select.recv(a, got::set)));
        t.start();
        Go.main(() -> a.send(42));
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(t.isAlive());
        assertEquals(42, got.get());
    }

    @Test
    void multipleDefaultsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Select.select(Select.otherwise(() -> {}), Select.otherwise(() -> {})));
    }

    @Test
    void emptySelectParksForeverWithGoReason() {
        Go.main(() -> {
            Go.go(() -> Select.select());
            String dump = "";
            for (int i = 0; i < 1000 && !dump.contains("[select (no cases)]:"); i++) {
                Go.gosched();
                dump = Go.stack(true);
            }
            assertTrue(dump.contains("[select (no cases)]:"), dump);
        });
    }
}
