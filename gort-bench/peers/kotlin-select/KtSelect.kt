// The Kotlin side of Gort's "select" benchmark, which the peer anchors lack.
// Usage: java ... gortpeers.KtSelectKt select <procs>
// Two coroutines each send SELECT_N/2 values on their own rendezvous channel; the main coroutine
// (on Dispatchers.Default, like the anchors' main task) runs SELECT_N two-clause selects receiving
// from both. selectUnbiased, because Go's select picks uniformly among ready cases (plain `select`
// prefers the first clause). Value: wall ns per select. 2 warm-up iterations, median of 3.
package gortpeers

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.selectUnbiased
import kotlin.system.exitProcess

fun main(args: Array<String>) {
    if (args.size < 2 || args[0] != "select") { System.err.println("usage: KtSelect select <procs>"); exitProcess(1) }
    val procs = args[1].toInt()
    val core = System.getProperty("kotlinx.coroutines.scheduler.core.pool.size")
    if (core == null || core.toInt() != procs) { System.err.println("kotlinx.coroutines.scheduler.core.pool.size must equal procs"); exitProcess(1) }
    val half = (System.getenv("SELECT_N")?.takeIf { it.isNotEmpty() }?.toInt() ?: 1_000_000) / 2
    val vals = ArrayList<Double>()
    for (it in 0 until 5) {
        val v = runBlocking(Dispatchers.Default) {
            val a = Channel<Long>(Channel.RENDEZVOUS)
            val b = Channel<Long>(Channel.RENDEZVOUS)
            launch { for (i in 0 until half) a.send(i.toLong()) }
            launch { for (i in 0 until half) b.send((half + i).toLong()) }
            val n = 2L * half
            var sum = 0L; var na = 0L; var nb = 0L
            val t0 = System.nanoTime()
            for (i in 0 until n) {
                selectUnbiased<Unit> {
                    a.onReceive { x -> sum += x; na++ }
                    b.onReceive { x -> sum += x; nb++ }
                }
            }
            val el = System.nanoTime() - t0
            if (na != half.toLong() || nb != half.toLong() || sum != n * (n - 1) / 2) {
                System.err.println("VERIFY FAILED: select sum $sum from a $na from b $nb")
                Runtime.getRuntime().halt(2)
            }
            el.toDouble() / n
        }
        System.err.println("  select iter $it: ${"%.3f".format(v)}")
        if (it >= 2) vals.add(v)
    }
    vals.sort()
    println("RESULT bench=select impl=kotlin procs=$procs value=${"%.3f".format(vals[1])} unit=ns_per_select")
    exitProcess(0)
}
