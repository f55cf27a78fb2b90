//! Work spread over the cores: thousands of independent reads, `stat`s and renders.

/// `work` applied to each of `items` on every core, the items cut into one run per core (of
/// `least` items at the fewest, so little work stays on one thread), each run with a `state`
/// of its own from `start`; the results in the items' order.
pub(crate) fn on_every_core<T, S, R>(
    items: &[T],
    least: usize,
    start: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len().div_ceil(least.max(1)).max(1));
    let chunk = items.len().div_ceil(threads).max(1);
    let (start, work) = (&start, &work);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut state = start();
                    part.iter()
                        .map(|item| work(&mut state, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker does not panic"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_results_keep_the_items_order_and_each_run_its_own_state() {
        let items: Vec<usize> = (0..1000).collect();
        let doubled = on_every_core(
            &items,
            10,
            || 0usize,
            |seen, item| {
                *seen += 1;
                (item * 2, *seen)
            },
        );
        assert_eq!(
            doubled.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert!(doubled.iter().all(|(_, seen)| *seen >= 1));
        assert!(on_every_core(&[] as &[u8], 10, || (), |(), b| *b).is_empty());
    }
}
