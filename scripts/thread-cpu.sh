#!/usr/bin/env bash
# scripts/thread-cpu.sh PID SECONDS: CPU ticks (1/100 s) each thread of PID used during the next SECONDS,
# busiest first; run it while a load generator runs to see whether every worker thread is busy.
pid=$1; s=$2
declare -A before
for t in /proc/$pid/task/*; do id=${t##*/}; before[$id]=$(awk '{print $14+$15}' $t/stat 2>/dev/null); done
sleep $s
for t in /proc/$pid/task/*; do id=${t##*/}; a=$(awk '{print $14+$15}' $t/stat 2>/dev/null); n=$(cat $t/comm); d=$(( a - ${before[$id]:-0} )); [ $d -gt 0 ] && echo "$d $id $n"; done | sort -rn | head -20
