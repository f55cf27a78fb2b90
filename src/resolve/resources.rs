//! A container's requests and limits, as the spec gives them or fleetc's defaults.

use crate::model::ResolvedResources;
use crate::spec::{DEFAULT_CPU, DEFAULT_MEMORY, Limit, Resources};

/// Requests and limits with fleetc's defaults where the spec gives none: 100m CPU, 128Mi
/// memory, a memory limit of the request unless the spec says otherwise or `false`.
pub(super) fn resolved_resources(resources: Resources) -> ResolvedResources {
    let memory = resources
        .memory
        .unwrap_or_else(|| DEFAULT_MEMORY.to_owned());
    ResolvedResources {
        cpu: resources.cpu.unwrap_or_else(|| DEFAULT_CPU.to_owned()),
        memory_limit: match resources.memory_limit {
            Some(Limit::Quantity(limit)) => Some(limit),
            Some(Limit::Off(_)) => None,
            None => Some(memory.clone()),
        },
        memory,
        cpu_limit: resources.cpu_limit,
    }
}

#[cfg(test)]
mod tests {
    use super::resolved_resources;
    use crate::spec::{Limit, Resources};

    #[test]
    fn memory_is_limited_to_the_request_unless_the_spec_says_otherwise() {
        let given = Resources::default();
        let defaults = resolved_resources(given.clone());
        assert_eq!(
            (defaults.cpu.as_str(), defaults.memory.as_str()),
            ("100m", "128Mi")
        );
        assert_eq!(defaults.memory_limit.as_deref(), Some("128Mi"));
        let memory = Resources {
            memory: Some("256Mi".into()),
            ..given.clone()
        };
        assert_eq!(
            resolved_resources(memory).memory_limit.as_deref(),
            Some("256Mi")
        );
        let unlimited = Resources {
            memory_limit: Some(Limit::Off(false)),
            ..given
        };
        assert_eq!(resolved_resources(unlimited).memory_limit, None);
    }
}
