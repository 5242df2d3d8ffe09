"""The hot loop: one service, one seed, request by request, compiled with numba.

Requests arrive as a Poisson process whose rate is constant within each `rate_step_s` (a non-homogeneous
Poisson process, piecewise constant). Each request goes to the newest ready instance with a free
concurrency slot, else to a starting instance with a free slot (a cold start: it waits for the instance
to be ready), else, if the scaler may start instances on demand and the cap allows, to a new instance
(also a cold start), else into the pending queue, where it is rejected (429) once it has waited
`pending_timeout_s`. A request whose wait plus service passes `request_timeout_s` ends as a timeout.
A controller runs every `control_period_s`: the Cloud Run autoscaler (instances to keep the window's
mean concurrency and CPU at their targets) or the Kubernetes HPA (pods from CPU utilisation, tolerance
and a scale-down stabilisation window, pods beyond node capacity waiting for a node). Idle instances
above the floor are removed after `retention_s`. See docs/simulation.md for every rule and its source.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

EXPONENTIAL, LOGNORMAL, FIXED = 0, 1, 2
CONTROL_NONE, CONTROL_CLOUD_RUN, CONTROL_HPA = 0, 1, 2

# Latency histogram: 40 log-spaced buckets a decade from 0.1 ms to 10,000 s (6% wide each).
HIST_MIN_LOG10 = -4.0
HIST_PER_DECADE = 40
HIST_BINS = 8 * HIST_PER_DECADE

# Indexes of the parameter vector.
(P_DURATION, P_STEP, P_RATE_STEP, P_DIST, P_MEAN, P_MU, P_SIGMA, P_STARTUP, P_CONCURRENCY, P_MIN, P_CAP,
 P_ON_DEMAND, P_CONTROL, P_PERIOD, P_WINDOW, P_TARGET_CONC, P_TARGET_CPU, P_CPU_PER_REQUEST, P_RETENTION,
 P_PENDING_TIMEOUT, P_REQUEST_TIMEOUT, P_TOLERANCE, P_STABILIZATION, P_PODS_PER_NODE, P_MIN_NODES,
 P_MAX_NODES, P_NODE_DELAY, P_NODE_UNNEEDED, P_BIN, P_QUEUE_CAPACITY) = range(30)
N_PARAMS = 30

# Indexes of the totals vector.
(T_ARRIVALS, T_SERVED, T_COLD, T_QUEUED, T_REJECTED, T_TIMEOUTS, T_SUM_WAIT, T_SUM_LATENCY, T_INSTANCE_S,
 T_BUSY_S, T_MIN_ALIVE, T_MAX_ALIVE, T_MAX_BACKLOG, T_STARTED, T_NODE_S, T_WAITED, T_ACTIVE_S,
 T_CACHE_REFUSED) = range(18)
N_TOTALS = 18

# Per-bin series (columns of `series`).
(S_ARRIVALS, S_REJECTED, S_COLD, S_TIMEOUTS, S_INSTANCE_S, S_MAX_ALIVE, S_MIN_ALIVE, S_BUSY_S) = range(8)
N_SERIES = 8


@njit(cache=True)
def _bucket(seconds):
    if seconds <= 0.0:
        return 0
    k = int((np.log10(seconds) - HIST_MIN_LOG10) * HIST_PER_DECADE)
    if k < 0:
        return 0
    if k >= HIST_BINS:
        return HIST_BINS - 1
    return k


@njit(cache=True)
def _service_time(rng, dist, mean, mu, sigma):
    if dist == EXPONENTIAL:
        return mean * rng.standard_exponential()
    if dist == LOGNORMAL:
        return np.exp(mu + sigma * rng.standard_normal())
    return mean


@njit(cache=True)
def _push(times, payload, size, t, p):
    i = size
    times[i] = t
    payload[i] = p
    while i > 0:
        parent = (i - 1) >> 1
        if times[parent] <= times[i]:
            break
        times[parent], times[i] = times[i], times[parent]
        payload[parent], payload[i] = payload[i], payload[parent]
        i = parent
    return size + 1


@njit(cache=True)
def _pop(times, payload, size):
    size -= 1
    times[0] = times[size]
    payload[0] = payload[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and times[left + 1] < times[left]:
            child = left + 1
        if times[i] <= times[child]:
            break
        times[child], times[i] = times[i], times[child]
        payload[child], payload[i] = payload[i], payload[child]
        i = child
    return size


@njit(cache=True, nogil=True)
def simulate_service(rng, rate, params, refused_share, cache_wait_s):
    """Simulate one service. `rate` holds arrivals per second for each rate step; `refused_share` and
    `cache_wait_s` (empty, or one per rate step) the chance a request is refused by a Memorystore it
    depends on and the time its commands add to its service (see cache.py).

    Returns (totals[N_TOTALS], delay histogram[HIST_BINS], series[bins, N_SERIES],
    latency histograms of served requests per bin[bins, HIST_BINS]).
    """
    duration = params[P_DURATION]
    step = params[P_STEP]
    rate_step = params[P_RATE_STEP]
    dist = int(params[P_DIST])
    mean = params[P_MEAN]
    mu = params[P_MU]
    sigma = params[P_SIGMA]
    startup = params[P_STARTUP]
    conc = int(params[P_CONCURRENCY])
    minimum = int(params[P_MIN])
    cap = int(params[P_CAP])
    on_demand = params[P_ON_DEMAND] > 0
    control = int(params[P_CONTROL])
    period = params[P_PERIOD]
    window_len = max(1, int(round(params[P_WINDOW] / period)))
    target_conc = params[P_TARGET_CONC]
    target_cpu = params[P_TARGET_CPU]
    cpu_per_request = params[P_CPU_PER_REQUEST]
    retention = params[P_RETENTION]
    pending_timeout = params[P_PENDING_TIMEOUT]
    request_timeout = params[P_REQUEST_TIMEOUT]
    tolerance = params[P_TOLERANCE]
    stab_len = max(1, int(round(params[P_STABILIZATION] / period)))
    pods_per_node = int(params[P_PODS_PER_NODE])  # 0: no node limit
    min_nodes = int(params[P_MIN_NODES])
    max_nodes = int(params[P_MAX_NODES])
    node_delay = params[P_NODE_DELAY]
    node_unneeded = params[P_NODE_UNNEEDED]
    bin_s = params[P_BIN]
    qcap = int(params[P_QUEUE_CAPACITY])
    n_cache = refused_share.shape[0]

    n_steps = int(np.ceil(duration / step - 1e-9))
    steps_per_bin = max(1, int(round(bin_s / step)))  # the caller makes bin_s a multiple of step
    n_bins = (n_steps + steps_per_bin - 1) // steps_per_bin
    totals = np.zeros(N_TOTALS)
    delay_hist = np.zeros(HIST_BINS, np.int64)
    series = np.zeros((n_bins, N_SERIES))
    series_hist = np.zeros((n_bins, HIST_BINS), np.int32)
    for b in range(n_bins):
        series[b, S_MIN_ALIVE] = 1e18

    # Instances.
    state = np.zeros(cap, np.int8)  # 0 unused, 1 starting, 2 ready
    ready_at = np.zeros(cap)
    idle_since = np.zeros(cap)
    active = np.zeros(cap, np.int64)
    alive = np.zeros(cap, np.int64)  # instance ids in creation order, newest last
    n_alive = 0
    free_ids = np.arange(cap - 1, -1, -1)
    n_free_ids = cap
    free_ready = 0  # free concurrency slots on ready instances
    free_starting = 0
    total_active = 0
    n_busy = 0

    # Events: completions (id * 2) and instances becoming ready (id * 2 + 1).
    heap_cap = cap * conc + cap + 16
    ev_t = np.empty(heap_cap)
    ev_p = np.empty(heap_cap, np.int64)
    n_ev = 0

    queue = np.empty(qcap)
    q_head = 0
    q_len = 0

    nodes = min_nodes
    node_unneeded_since = -1.0
    window = np.zeros(window_len)
    stab = np.zeros(stab_len)
    control_count = 0
    window_slot = 0
    window_sum = 0.0
    stab_next = 0
    control_active = 0.0  # integral of requests in flight since the last control tick
    last_t = 0.0

    for _ in range(minimum):
        if n_free_ids == 0:
            break
        n_free_ids -= 1
        i = free_ids[n_free_ids]
        state[i] = 2
        ready_at[i] = 0.0
        idle_since[i] = 0.0
        active[i] = 0
        alive[n_alive] = i
        n_alive += 1
        free_ready += conc
    if pods_per_node > 0:
        nodes = max(nodes, (n_alive + pods_per_node - 1) // pods_per_node)
    totals[T_MIN_ALIVE] = n_alive
    totals[T_MAX_ALIVE] = n_alive

    next_control = period
    rate_index = 0
    lam = rate[0] if rate.shape[0] > 0 else 0.0
    next_arrival = rng.standard_exponential() / lam if lam > 0 else 1e300
    rate_end = rate_step
    # Hot sums kept in locals (registers), written to `totals` and `series` at the end and per bin.
    instance_s = busy_s = active_s = node_s = sum_latency = sum_wait = 0.0
    arrivals = served = 0.0
    bin_instance_s = bin_busy_s = bin_arrivals = 0.0
    k = 0
    b = 0
    next_bin_start = steps_per_bin
    while k < n_steps:
        t1 = min(duration, k * step + step)
        while True:
            t_ev = ev_t[0] if n_ev > 0 else 1e300
            t = min(next_arrival, t_ev, next_control, rate_end)
            if t > t1:
                break
            if t == rate_end and rate_end < next_arrival:
                # A new minute, a new rate: by memorylessness the next arrival is drawn afresh from here.
                rate_index += 1
                lam = rate[rate_index] if rate_index < rate.shape[0] else 0.0
                next_arrival = t + rng.standard_exponential() / lam if lam > 0 else 1e300
                rate_end += rate_step
                continue
            # Integrate the state up to t.
            dt = t - last_t
            if dt > 0:
                instance_s += n_alive * dt
                busy_s += n_busy * dt
                active_s += total_active * dt
                node_s += nodes * dt
                control_active += total_active * dt
                bin_instance_s += n_alive * dt
                bin_busy_s += n_busy * dt
                last_t = t
            pull_from = -1
            if t == t_ev and t_ev <= next_arrival and t_ev <= next_control:
                payload = ev_p[0]
                n_ev = _pop(ev_t, ev_p, n_ev)
                i = payload >> 1
                if payload & 1:  # ready
                    state[i] = 2
                    free_starting -= conc - active[i]
                    free_ready += conc - active[i]
                    if active[i] == 0:
                        idle_since[i] = t
                else:  # completion
                    active[i] -= 1
                    total_active -= 1
                    free_ready += 1
                    if active[i] == 0:
                        n_busy -= 1
                        idle_since[i] = t
                pull_from = i
            elif t == next_arrival and next_arrival <= next_control:
                arrivals += 1
                bin_arrivals += 1
                chosen = -1
                cold = False
                refused = False
                if rate_index < n_cache and refused_share[rate_index] > 0:
                    refused = rng.random() < refused_share[rate_index]
                if not refused and free_ready > 0:
                    for j in range(n_alive - 1, -1, -1):
                        c = alive[j]
                        if state[c] == 2 and active[c] < conc:
                            chosen = c
                            break
                if chosen < 0 and not refused and free_starting > 0:
                    for j in range(n_alive - 1, -1, -1):
                        c = alive[j]
                        if state[c] == 1 and active[c] < conc:
                            chosen = c
                            cold = True
                            break
                if chosen < 0 and not refused and on_demand and n_alive < cap and n_free_ids > 0:
                    n_free_ids -= 1
                    chosen = free_ids[n_free_ids]
                    state[chosen] = 1
                    ready_at[chosen] = t + startup
                    active[chosen] = 0
                    alive[n_alive] = chosen
                    n_alive += 1
                    free_starting += conc
                    totals[T_STARTED] += 1
                    n_ev = _push(ev_t, ev_p, n_ev, t + startup, chosen * 2 + 1)
                    cold = True
                if chosen >= 0:
                    start = ready_at[chosen] if cold else t
                    if cold:
                        totals[T_COLD] += 1
                        series[b, S_COLD] += 1
                    # Assign: the slot is taken now, the service begins at `start`.
                    wait = start - t
                    service = _service_time(rng, dist, mean, mu, sigma)
                    if rate_index < n_cache:
                        service += cache_wait_s[rate_index]
                    if wait + service > request_timeout:
                        service = max(0.0, request_timeout - wait)
                        totals[T_TIMEOUTS] += 1
                        series[b, S_TIMEOUTS] += 1
                    else:
                        served += 1
                        sum_latency += wait + service
                        series_hist[b, _bucket(wait + service)] += 1
                    sum_wait += wait
                    delay_hist[_bucket(wait)] += 1
                    if active[chosen] == 0:
                        n_busy += 1
                    active[chosen] += 1
                    total_active += 1
                    if state[chosen] == 2:
                        free_ready -= 1
                    else:
                        free_starting -= 1
                    n_ev = _push(ev_t, ev_p, n_ev, start + service, chosen * 2)
                elif not refused and pending_timeout > 0 and q_len < qcap:
                    queue[(q_head + q_len) % qcap] = t
                    q_len += 1
                    if q_len > totals[T_MAX_BACKLOG]:
                        totals[T_MAX_BACKLOG] = q_len
                else:
                    totals[T_REJECTED] += 1
                    series[b, S_REJECTED] += 1
                    if refused:
                        totals[T_CACHE_REFUSED] += 1
                next_arrival = t + rng.standard_exponential() / lam
            else:
                # Controller tick.
                next_control = t + period
                latest = control_active / period
                window_sum += latest - window[window_slot]
                window[window_slot] = latest
                window_slot += 1
                if window_slot == window_len:
                    window_slot = 0
                    window_sum = 0.0  # re-added exactly once a window, so rounding never accumulates
                    for j in range(window_len):
                        window_sum += window[j]
                stab_slot = stab_next
                stab_next = stab_next + 1 if stab_next + 1 < stab_len else 0
                control_count += 1
                control_active = 0.0
                filled = min(control_count, window_len)
                mean_in_flight = window_sum / filled
                desired = minimum
                if control == CONTROL_CLOUD_RUN:
                    by_conc = int(np.ceil(mean_in_flight / (conc * target_conc) - 1e-9))
                    by_cpu = int(np.ceil(mean_in_flight * cpu_per_request / target_cpu - 1e-9)) \
                        if cpu_per_request > 0 else 0
                    desired = max(minimum, by_conc, by_cpu)
                elif control == CONTROL_HPA:
                    ready_pods = 0
                    for j in range(n_alive):
                        if state[alive[j]] == 2:
                            ready_pods += 1
                    recommended = n_alive
                    if ready_pods > 0:
                        utilisation = latest * cpu_per_request / ready_pods
                        ratio = utilisation / target_cpu
                        if abs(ratio - 1.0) > tolerance:
                            recommended = int(np.ceil(ready_pods * ratio - 1e-9))
                    elif latest > 0:
                        recommended = max(1, n_alive)
                    stab[stab_slot] = recommended
                    held = recommended
                    for j in range(min(control_count, stab_len)):
                        if stab[j] > held:
                            held = int(stab[j])
                    desired = max(minimum, held)
                if desired > cap:
                    desired = cap
                if control != CONTROL_NONE:
                    while n_alive < desired and n_free_ids > 0:
                        delay = startup
                        if pods_per_node > 0 and n_alive >= nodes * pods_per_node:
                            if nodes >= max_nodes:
                                break
                            nodes += 1
                            delay = node_delay + startup
                        n_free_ids -= 1
                        c = free_ids[n_free_ids]
                        state[c] = 1
                        ready_at[c] = t + delay
                        active[c] = 0
                        alive[n_alive] = c
                        n_alive += 1
                        free_starting += conc
                        totals[T_STARTED] += 1
                        n_ev = _push(ev_t, ev_p, n_ev, t + delay, c * 2 + 1)
                # Remove idle instances above the floor, oldest first.
                floor = max(minimum, desired) if control != CONTROL_NONE else minimum
                j = 0
                while j < n_alive and n_alive > floor:
                    c = alive[j]
                    keep = retention if control != CONTROL_HPA else 0.0
                    if state[c] == 2 and active[c] == 0 and t - idle_since[c] >= keep:
                        state[c] = 0
                        free_ready -= conc
                        for m in range(j, n_alive - 1):
                            alive[m] = alive[m + 1]
                        n_alive -= 1
                        free_ids[n_free_ids] = c
                        n_free_ids += 1
                    else:
                        j += 1
                if pods_per_node > 0:
                    needed = max(min_nodes, (n_alive + pods_per_node - 1) // pods_per_node)
                    if needed < nodes:
                        if node_unneeded_since < 0:
                            node_unneeded_since = t
                        elif t - node_unneeded_since >= node_unneeded:
                            nodes = needed
                            node_unneeded_since = -1.0
                    else:
                        node_unneeded_since = -1.0
            # A slot came free: serve the oldest pending request that has not given up.
            if pull_from >= 0 and q_len > 0:
                i = pull_from
                while q_len > 0 and state[i] == 2 and active[i] < conc:
                    arrived = queue[q_head]
                    q_head = (q_head + 1) % qcap
                    q_len -= 1
                    wait = t - arrived
                    if wait > pending_timeout:
                        totals[T_REJECTED] += 1
                        series[b, S_REJECTED] += 1
                        continue
                    totals[T_QUEUED] += 1
                    totals[T_WAITED] += 1
                    service = _service_time(rng, dist, mean, mu, sigma)
                    if rate_index < n_cache:
                        service += cache_wait_s[rate_index]
                    if wait + service > request_timeout:
                        service = max(0.0, request_timeout - wait)
                        totals[T_TIMEOUTS] += 1
                        series[b, S_TIMEOUTS] += 1
                    else:
                        served += 1
                        sum_latency += wait + service
                        series_hist[b, _bucket(wait + service)] += 1
                    sum_wait += wait
                    delay_hist[_bucket(wait)] += 1
                    if active[i] == 0:
                        n_busy += 1
                    active[i] += 1
                    total_active += 1
                    free_ready -= 1
                    n_ev = _push(ev_t, ev_p, n_ev, t + service, i * 2)
        # End of a step: give up on requests pending too long, record the fleet size.
        while q_len > 0 and t1 - queue[q_head] > pending_timeout:
            q_head = (q_head + 1) % qcap
            q_len -= 1
            totals[T_REJECTED] += 1
            series[b, S_REJECTED] += 1
        if n_alive > series[b, S_MAX_ALIVE]:
            series[b, S_MAX_ALIVE] = n_alive
        if n_alive < series[b, S_MIN_ALIVE]:
            series[b, S_MIN_ALIVE] = n_alive
        if n_alive > totals[T_MAX_ALIVE]:
            totals[T_MAX_ALIVE] = n_alive
        if n_alive < totals[T_MIN_ALIVE]:
            totals[T_MIN_ALIVE] = n_alive
        # Next step. With nobody pending, the steps before the next event change nothing but their bins'
        # fleet minimum and maximum (the fleet is constant): jump over them.
        following = k + 1
        if q_len == 0 and following < n_steps:
            t_next = min(next_arrival, ev_t[0] if n_ev > 0 else 1e300, next_control, rate_end)
            if t_next > duration:
                following = n_steps
            elif t_next > t1 + step:
                following = max(following, int(t_next / step) - 1)
                while following > k + 1 and min(duration, (following - 1) * step + step) >= t_next:
                    following -= 1
                while following < n_steps and min(duration, following * step + step) < t_next:
                    following += 1
            if following > k + 1:
                last_bin = min(n_bins - 1, (following - 1) // steps_per_bin)
                for skipped in range((k + 1) // steps_per_bin, last_bin + 1):
                    if n_alive > series[skipped, S_MAX_ALIVE]:
                        series[skipped, S_MAX_ALIVE] = n_alive
                    if n_alive < series[skipped, S_MIN_ALIVE]:
                        series[skipped, S_MIN_ALIVE] = n_alive
        k = following
        if k >= next_bin_start and k < n_steps:
            series[b, S_INSTANCE_S] = bin_instance_s
            series[b, S_BUSY_S] = bin_busy_s
            series[b, S_ARRIVALS] = bin_arrivals
            bin_instance_s = bin_busy_s = bin_arrivals = 0.0
            b = k // steps_per_bin
            next_bin_start = (b + 1) * steps_per_bin
    series[b, S_INSTANCE_S] = bin_instance_s
    series[b, S_BUSY_S] = bin_busy_s
    series[b, S_ARRIVALS] = bin_arrivals
    dt = duration - last_t
    if dt > 0:
        instance_s += n_alive * dt
        busy_s += n_busy * dt
        active_s += total_active * dt
        node_s += nodes * dt
        series[n_bins - 1, S_INSTANCE_S] += n_alive * dt
        series[n_bins - 1, S_BUSY_S] += n_busy * dt
    totals[T_INSTANCE_S] = instance_s
    totals[T_BUSY_S] = busy_s
    totals[T_ACTIVE_S] = active_s
    totals[T_NODE_S] = node_s
    totals[T_ARRIVALS] = arrivals
    totals[T_SERVED] = served
    totals[T_SUM_LATENCY] = sum_latency
    totals[T_SUM_WAIT] = sum_wait
    return totals, delay_hist, series, series_hist


def workers() -> int:
    """Threads for independent runs: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_POOL: list = []


def check_sizes(params) -> None:
    """Refuse a run whose sizes the compiled loop cannot index: numba checks no bounds, so a run of no step
    (an empty `series`) or a negative count writes outside its arrays and corrupts the heap."""
    from archplan.errors import UsageError

    duration, step = float(params[P_DURATION]), float(params[P_STEP])
    sizes = {"the step": step, "the rate step": float(params[P_RATE_STEP]), "the series bin": float(params[P_BIN]),
             "the control period": float(params[P_PERIOD])}
    problems = [f"{name} is {value:g} s" for name, value in sizes.items() if not (value > 0 and np.isfinite(value))]
    if not problems and not (np.isfinite(duration) and np.ceil(duration / step - 1e-9) >= 1):
        problems.append(f"{duration:g} s is shorter than one step ({step:g} s)")
    counts = {"concurrency": (P_CONCURRENCY, 1), "instances at least": (P_MIN, 0), "instances at most": (P_CAP, 0),
              "queue capacity": (P_QUEUE_CAPACITY, 1), "pods per node": (P_PODS_PER_NODE, 0),
              "nodes at least": (P_MIN_NODES, 0), "nodes at most": (P_MAX_NODES, 0)}
    problems += [f"{name} is {params[index]:g}" for name, (index, least) in counts.items()
                 if not (np.isfinite(params[index]) and params[index] >= least)]
    if problems:
        raise UsageError(f"simulate: cannot run this service: {'; '.join(problems)}")


def _checked(jobs):
    for job in jobs:
        check_sizes(job[2])
        yield job


def run_many(jobs):
    """Yield simulate_service(*job) for each job of `jobs`, in order.

    The engine releases the GIL, so runs share the cores through a thread pool; each run owns its
    generator, so its result is exactly what it would be alone, whatever the scheduling. Each job's sizes
    are checked first (check_sizes): none reaches the compiled loop unless it fits.
    """
    jobs = _checked(jobs)
    if workers() == 1:
        for job in jobs:
            yield simulate_service(*job)
        return
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="archplan-simulate"))
    pool = _POOL[0]
    pending = deque()
    for job in jobs:
        pending.append(pool.submit(simulate_service, *job))
        if len(pending) > 2 * workers():  # bounded memory: a few runs ahead of the consumer
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def simulate_seeds(seeds, rate, params, refused_share=None, cache_wait_s=None):
    """simulate_service for each seed (a numpy Generator seeded with it), stacked."""
    refused_share = np.zeros(0) if refused_share is None else np.asarray(refused_share, dtype=float)
    cache_wait_s = np.zeros(0) if cache_wait_s is None else np.asarray(cache_wait_s, dtype=float)
    runs = list(run_many((np.random.default_rng(int(seed)), rate, params, refused_share, cache_wait_s)
                         for seed in seeds))
    return tuple(np.stack([run[k] for run in runs]) for k in range(4))
