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

import numpy as np
from numba import njit, prange

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
 T_BUSY_S, T_MIN_ALIVE, T_MAX_ALIVE, T_MAX_BACKLOG, T_STARTED, T_NODE_S, T_WAITED, T_ACTIVE_S) = range(17)
N_TOTALS = 17

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
def _service_time(dist, mean, mu, sigma):
    if dist == EXPONENTIAL:
        return np.random.exponential(mean)
    if dist == LOGNORMAL:
        return np.exp(mu + sigma * np.random.standard_normal())
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


@njit(cache=True)
def simulate_service(seed, rate, params):
    """Simulate one service. `rate` holds arrivals per second for each rate step.

    Returns (totals[N_TOTALS], delay histogram[HIST_BINS], series[bins, N_SERIES],
    latency histograms of served requests per bin[bins, HIST_BINS]).
    """
    np.random.seed(seed)
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
    next_arrival = np.random.exponential(1.0 / lam) if lam > 0 else 1e300
    rate_end = rate_step
    for k in range(n_steps):
        t0 = k * step
        t1 = min(duration, t0 + step)
        b = k // steps_per_bin
        while True:
            t_ev = ev_t[0] if n_ev > 0 else 1e300
            t = min(next_arrival, t_ev, next_control, rate_end)
            if t > t1:
                break
            if t == rate_end and rate_end < next_arrival:
                # A new minute, a new rate: by memorylessness the next arrival is drawn afresh from here.
                rate_index += 1
                lam = rate[rate_index] if rate_index < rate.shape[0] else 0.0
                next_arrival = t + np.random.exponential(1.0 / lam) if lam > 0 else 1e300
                rate_end += rate_step
                continue
            # Integrate the state up to t.
            dt = t - last_t
            if dt > 0:
                totals[T_INSTANCE_S] += n_alive * dt
                totals[T_BUSY_S] += n_busy * dt
                totals[T_ACTIVE_S] += total_active * dt
                totals[T_NODE_S] += nodes * dt
                control_active += total_active * dt
                series[b, S_INSTANCE_S] += n_alive * dt
                series[b, S_BUSY_S] += n_busy * dt
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
                totals[T_ARRIVALS] += 1
                series[b, S_ARRIVALS] += 1
                chosen = -1
                cold = False
                if free_ready > 0:
                    for j in range(n_alive - 1, -1, -1):
                        c = alive[j]
                        if state[c] == 2 and active[c] < conc:
                            chosen = c
                            break
                if chosen < 0 and free_starting > 0:
                    for j in range(n_alive - 1, -1, -1):
                        c = alive[j]
                        if state[c] == 1 and active[c] < conc:
                            chosen = c
                            cold = True
                            break
                if chosen < 0 and on_demand and n_alive < cap and n_free_ids > 0:
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
                    service = _service_time(dist, mean, mu, sigma)
                    if wait + service > request_timeout:
                        service = max(0.0, request_timeout - wait)
                        totals[T_TIMEOUTS] += 1
                        series[b, S_TIMEOUTS] += 1
                    else:
                        totals[T_SERVED] += 1
                        totals[T_SUM_LATENCY] += wait + service
                        series_hist[b, _bucket(wait + service)] += 1
                    totals[T_SUM_WAIT] += wait
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
                elif pending_timeout > 0 and q_len < qcap:
                    queue[(q_head + q_len) % qcap] = t
                    q_len += 1
                    if q_len > totals[T_MAX_BACKLOG]:
                        totals[T_MAX_BACKLOG] = q_len
                else:
                    totals[T_REJECTED] += 1
                    series[b, S_REJECTED] += 1
                next_arrival = t + np.random.exponential(1.0 / lam)
            else:
                # Controller tick.
                next_control = t + period
                window[control_count % window_len] = control_active / period
                stab_slot = control_count % stab_len
                control_count += 1
                control_active = 0.0
                filled = min(control_count, window_len)
                mean_in_flight = 0.0
                for j in range(filled):
                    mean_in_flight += window[j]
                mean_in_flight /= filled
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
                        utilisation = window[(control_count - 1) % window_len] * cpu_per_request / ready_pods
                        ratio = utilisation / target_cpu
                        if abs(ratio - 1.0) > tolerance:
                            recommended = int(np.ceil(ready_pods * ratio - 1e-9))
                    elif window[(control_count - 1) % window_len] > 0:
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
                    service = _service_time(dist, mean, mu, sigma)
                    if wait + service > request_timeout:
                        service = max(0.0, request_timeout - wait)
                        totals[T_TIMEOUTS] += 1
                        series[b, S_TIMEOUTS] += 1
                    else:
                        totals[T_SERVED] += 1
                        totals[T_SUM_LATENCY] += wait + service
                        series_hist[b, _bucket(wait + service)] += 1
                    totals[T_SUM_WAIT] += wait
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
    dt = duration - last_t
    if dt > 0:
        totals[T_INSTANCE_S] += n_alive * dt
        totals[T_BUSY_S] += n_busy * dt
        totals[T_ACTIVE_S] += total_active * dt
        totals[T_NODE_S] += nodes * dt
        series[n_bins - 1, S_INSTANCE_S] += n_alive * dt
        series[n_bins - 1, S_BUSY_S] += n_busy * dt
    return totals, delay_hist, series, series_hist


@njit(cache=True, parallel=True)
def simulate_seeds(seeds, rate, params):
    """simulate_service for each seed, spread over the CPU cores; each seed's run is the same as alone."""
    n = seeds.shape[0]
    n_steps = int(np.ceil(params[P_DURATION] / params[P_STEP] - 1e-9))
    steps_per_bin = max(1, int(round(params[P_BIN] / params[P_STEP])))
    n_bins = (n_steps + steps_per_bin - 1) // steps_per_bin
    totals = np.zeros((n, N_TOTALS))
    delay = np.zeros((n, HIST_BINS), np.int64)
    series = np.zeros((n, n_bins, N_SERIES))
    series_hist = np.zeros((n, n_bins, HIST_BINS), np.int32)
    for i in prange(n):
        t, d, s, h = simulate_service(seeds[i], rate, params)
        totals[i] = t
        delay[i] = d
        series[i] = s
        series_hist[i] = h
    return totals, delay, series, series_hist
