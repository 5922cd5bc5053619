# Sourced by scripts/bench.sh and scripts/book-load.sh: CPU time of a process, of one of its
# threads, and the share the hypervisor stole, from /proc.

# thread_ticks PID NAME: CPU ticks (utime + stime) of PID's thread named NAME so far; 0 if none.
thread_ticks() { local t; for t in /proc/$1/task/*; do [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ] && awk '{ print $14 + $15 }' "$t/stat" && return; done; echo 0; }

# cpu_stat: steal and total ticks of all CPUs so far (/proc/stat), as "STEAL TOTAL".
cpu_stat() { awk '/^cpu / { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# steal_percent BEFORE AFTER (two cpu_stat outputs): the share of the CPUs' time stolen between them.
steal_percent() { awk -v b="$1" -v a="$2" 'BEGIN { split(b, x); split(a, y); printf "%.0f", (y[2] > x[2] ? (y[1] - x[1]) * 100 / (y[2] - x[2]) : 0) }'; }
