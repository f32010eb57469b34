# Sourced by the load scripts (not run on its own).

# CPU time (user + system, clock ticks) used so far by the given processes, all threads;
# pids that are gone count nothing.
cpu_ticks() {
    local total=0 pid
    for pid in "$@"; do
        [[ -r "/proc/$pid/stat" ]] || continue
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
    done
    echo "$total"
}
