//! Work spread over every core, for what a large practice makes slow: opening
//! it (scanning client folders), checking it, printing a day of plan sheets,
//! writing the benchmarks' large practice. One way to do it, so that each of
//! those is a plain map over its items.

use std::sync::atomic::{AtomicUsize, Ordering};

/// At most this many threads: past it, the disk is what everything waits for.
const MOST_WORKERS: usize = 8;

/// `work` applied to each of `items`, on as many threads as there are cores,
/// the results in the order of `items`. Each thread takes the next item when
/// it is free, so a slow item (a long report) does not hold back the others. A
/// panic in `work` is passed on, as it would be without the threads.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let workers = cores.min(MOST_WORKERS).min(items.len());
    if workers <= 1 {
        return items.iter().map(&work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        mine.push((index, work(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_results_come_back_in_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = on_every_core(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(on_every_core(&[] as &[u64], |n| *n), Vec::<u64>::new());
    }
}
