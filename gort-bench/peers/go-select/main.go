// The Go side of Gort's "select" benchmark, which the peer anchors lack.
// Usage: goselect select <procs>
// Two goroutines each send SELECT_N/2 values on their own unbuffered channel; the main goroutine
// runs SELECT_N two-case selects receiving from both. Value: wall ns per select.
// Same warm-up/measure scheme as the anchors (2 warm-up, median of 3), same RESULT line.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"time"
)

var procs int

func envInt(name string, def int) int {
	if s := os.Getenv(name); s != "" {
		if v, err := strconv.Atoi(s); err == nil {
			return v
		}
	}
	return def
}

func once(half int) float64 {
	a, b := make(chan int64), make(chan int64)
	go func() {
		for i := 0; i < half; i++ {
			a <- int64(i)
		}
	}()
	go func() {
		for i := 0; i < half; i++ {
			b <- int64(half + i)
		}
	}()
	n := int64(2 * half)
	var sum, na, nb int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		select {
		case v := <-a:
			sum += v
			na++
		case v := <-b:
			sum += v
			nb++
		}
	}
	el := time.Since(t0)
	if na != int64(half) || nb != int64(half) || sum != n*(n-1)/2 {
		fmt.Fprintf(os.Stderr, "VERIFY FAILED: select sum %d from a %d from b %d\n", sum, na, nb)
		os.Exit(2)
	}
	return float64(el.Nanoseconds()) / float64(n)
}

func main() {
	if len(os.Args) < 3 || os.Args[1] != "select" {
		fmt.Fprintln(os.Stderr, "usage: goselect select <procs>")
		os.Exit(1)
	}
	procs, _ = strconv.Atoi(os.Args[2])
	runtime.GOMAXPROCS(procs)
	half := envInt("SELECT_N", 1000000) / 2
	var vals []float64
	for i := 0; i < 5; i++ {
		v := once(half)
		fmt.Fprintf(os.Stderr, "  select iter %d: %.3f\n", i, v)
		if i >= 2 {
			vals = append(vals, v)
		}
	}
	sort.Float64s(vals)
	fmt.Printf("RESULT bench=select impl=go procs=%d value=%.3f unit=ns_per_select\n", procs, vals[1])
}
