/*
 * The operating system's floor under the syscallmix workload: what 64 threads looping on a 1 ms
 * sleep cost two compute threads when no runtime takes part at all.
 *
 * Two threads run the anchors' xorshift loop (COMPUTE_K steps, argv[1], default 600M) alone, twice
 * (the faster counts), then again while 64 plain threads loop on nanosleep(1 ms). Prints the
 * compute slowdown (ratio) and the sleeps completed per second during it. Any runtime that runs
 * the same 64 blocking loops pays at least this; the syscallmix target compares against it.
 *
 *   gcc -O2 -pthread -o /tmp/syscallmix_floor gort-bench/floor/syscallmix_floor.c && /tmp/syscallmix_floor
 *
 * Diagnostics only: not part of the build, the tests or ./gort bench.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long k_steps;
static atomic_int stop_blockers;
static atomic_long calls;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *compute(void *out) {
    uint64_t x = 88172645463325252ULL;
    for (long i = 0; i < k_steps; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    *(uint64_t *) out = x;
    return NULL;
}

/* Wall time, in ms, of two compute threads started together and both joined. */
static double two_computes(void) {
    pthread_t t[2];
    uint64_t r[2];
    double t0 = now_s();
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, compute, &r[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    if (r[0] != r[1]) abort();
    return (now_s() - t0) * 1000;
}

static void *blocker(void *unused) {
    struct timespec ms = {0, 1000000};
    (void) unused;
    while (!atomic_load(&stop_blockers)) {
        nanosleep(&ms, NULL);
        atomic_fetch_add(&calls, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    k_steps = argc > 1 ? atol(argv[1]) : 600000000L;
    two_computes(); /* warm-up */
    double b1 = two_computes(), b2 = two_computes();
    double base = b1 < b2 ? b1 : b2;
    pthread_t bl[64];
    for (int i = 0; i < 64; i++) pthread_create(&bl[i], NULL, blocker, NULL);
    struct timespec settle = {0, 200000000};
    nanosleep(&settle, NULL);
    long c0 = atomic_load(&calls);
    double mix = two_computes();
    long c1 = atomic_load(&calls);
    atomic_store(&stop_blockers, 1);
    for (int i = 0; i < 64; i++) pthread_join(bl[i], NULL);
    printf("base %.1f ms, with 64 sleepers %.1f ms: ratio %.2f, %.0f sleeps/s\n", base, mix, mix / base,
           (c1 - c0) / (mix / 1000));
    return 0;
}
