use indexmap::IndexSet;

/// The items in their first-seen order, each once. Lists fleetc writes from spec values (owners,
/// SSO groups, OIDC subjects) repeat whenever two teams share an owner or two services share a
/// repository; a repeated entry is at best noise and at worst refused by its consumer.
pub(crate) fn unique<T: std::hash::Hash + Eq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    items
        .into_iter()
        .collect::<IndexSet<T>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::unique;

    #[test]
    fn keeps_the_first_of_each_in_order() {
        assert_eq!(unique(["b", "a", "b", "c", "a"]), ["b", "a", "c"]);
    }
}
