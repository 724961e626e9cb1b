package dev.gort.internal.runtime;

/**
 * A FIFO of sudogs, doubly linked (Go: chan.go {@code waitq}). Protected by the channel's lock.
 */
final class WaitQ {
    Sudog first;
    Sudog last;

    void enqueue(Sudog sg) {
        sg.next = null;
        Sudog x = last;
        if (x == null) {
            sg.prev = null;
            first = sg;
            last = sg;
            return;
        }
        sg.prev = x;
        x.next = sg;
        last = sg;
    }

    /**
     * Go: dequeue. The first waiter that can still be woken: a select's sudog is skipped if another
     * case of that select already won (its CAS on {@code sel.done} fails), as in Go.
     */
    Sudog dequeue() {
        for (;;) {
            Sudog sg = first;
            if (sg == null) {
                return null;
            }
            Sudog y = sg.next;
            if (y == null) {
                first = null;
                last = null;
            } else {
                y.prev = null;
                first = y;
                sg.next = null;
            }
            if (sg.sel != null && !sg.sel.tryWin(sg)) {
                continue;
            }
            return sg;
        }
    }

    /** Go: dequeueSudoG. Removes sg wherever it is (a select cleaning up its losing cases). */
    void remove(Sudog sg) {
        Sudog x = sg.prev;
        Sudog y = sg.next;
        if (x != null) {
            if (y != null) {
                x.next = y;
                y.prev = x;
                sg.next = null;
                sg.prev = null;
                return;
            }
            x.next = null;
            last = x;
            sg.prev = null;
            return;
        }
        if (y != null) {
            y.prev = null;
            first = y;
            sg.next = null;
            return;
        }
        if (first == sg) {
            first = null;
            last = null;
        }
    }

    boolean isEmpty() {
        return first == null;
    }
}
