//! Keys a spec from another tool would write for a workload (`image`, `ports`, `sidecars`...):
//! where the spec keeps what such a key asks for, or that it has no key for it yet. Said
//! plainly, rather than a near-miss spelling of an unrelated key (`sidecars` is not `secrets`).

/// What the spec does with a capability a key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Capability {
    /// The spec writes it from other keys: what it is, and which keys to set.
    Elsewhere {
        fact: &'static str,
        keys: &'static str,
    },
    /// The spec has no key for it: what fleetc writes instead.
    Missing { fact: &'static str },
}

use Capability::{Elsewhere, Missing};

const IMAGE: Capability = Elsewhere {
    fact: "a service's image is its `image` repository (default `<registry>/<service>`) at its `version`",
    keys: "set `image` on the service for an image built elsewhere, and `version` (or `deploy.<env>`) for the tag",
};
const PORTS: Capability = Elsewhere {
    fact: "a service lists its ports under `ports`, by name, each with its protocol",
    keys: "set `ports.<name> = { port = 7070, protocol = \"grpc\" }` on the service (or `port` for its one HTTP port), and `metrics = { port = … }` for a separate metrics port",
};
const KIND: Capability = Elsewhere {
    fact: "what a service runs as is its `kind`, one for every environment",
    keys: "set `kind` on the service: `deployment` (the default), `worker`, `statefulset`, `cronjob` or `job`",
};
const PROBES: Capability = Elsewhere {
    fact: "probes follow the service's first port (gRPC health, a TCP connection), or are set under `probes`",
    keys: "set `probes.liveness = \"/healthz\"` (an HTTP path), a check such as `{ grpc = \"grpc\" }`, `{ tcp = \"redis\" }` or `{ exec = [\"cmd\"] }`, or `false`",
};
const RESOURCES: Capability = Elsewhere {
    fact: "requests and limits are under `resources`",
    keys: "set `resources = { cpu = \"250m\", memory = \"256Mi\", cpu_limit = …, memory_limit = … }`",
};
const SCALING: Capability = Elsewhere {
    fact: "scaling is `replicas` (the minimum) and `autoscaling`",
    keys: "set `replicas` and `autoscaling = { max = …, cpu = … }`",
};
const VARIABLES: Capability = Elsewhere {
    fact: "variables are under `env`, and those read from a secret store under `secrets`",
    keys: "set `env = { NAME = \"value\" }` or `secrets = { NAME = \"<entry>#<property>\" }`",
};
const HOSTS: Capability = Elsewhere {
    fact: "a service is reached on its environment's `domain` at its `route`",
    keys: "set the service's `route` (a path prefix such as `/cart`) and the environment's `domain`",
};
const CONTAINERS: Capability = Elsewhere {
    fact: "a service's pod runs its own container, native sidecars under `sidecars` and init containers under `init_containers`, each a table of the service",
    keys: "set `[services.<svc>.sidecars.<name>]` (image, version, command, ports, probes) or `[services.<svc>.init_containers.<name>]` on the service",
};
const COMMAND: Capability = Elsewhere {
    fact: "a service's container runs `command` with `args`, instead of its image's entrypoint",
    keys: "set `command = [\"/app/server\"]` and `args = [\"--port\", \"8080\"]` on the service",
};
const VOLUMES: Capability = Elsewhere {
    fact: "a pod has a writable `/tmp` (unless `security.tmp = false`), scratch volumes under `volumes`, files read from a ConfigMap under `config_files` or from the Secret under `secret_files` and, for a `statefulset`, persistent volumes under `storage`",
    keys: "set `volumes.cache = { path = \"/var/cache/app\", size = \"1Gi\" }` on the service, or `storage.data = { path = \"/data\", size = \"10Gi\" }` on a statefulset",
};
const CONFIG_FILES: Capability = Elsewhere {
    fact: "configuration files are files beside the spec, mounted read-only from a ConfigMap named after their content, under `config_files`",
    keys: "set `config_files = { \"/etc/app/config.yaml\" = \"config/app.yaml\" }` on the service, and another file for a path under `overrides.<env>.config_files`",
};
const JOBS: Capability = Elsewhere {
    fact: "a scheduled or one-off job is a service of `kind = \"cronjob\"` or `\"job\"`",
    keys: "set `kind = \"cronjob\"` with `schedule` and `timezone` on the service, and `run` for retries and deadlines",
};
const SECURITY: Capability = Elsewhere {
    fact: "a service's containers run as its `security` says (user, groups, writable root, added capabilities, `/tmp`), strict where it says nothing",
    keys: "set `security = { user = 999, writable_root = true }` on the service; what needs more than its environment's `pod_security` takes a `[[security_exceptions]]` entry",
};
const PRIVILEGED: Capability = Missing {
    fact: "fleetc never writes a privileged container: add the capabilities it needs under `security.capabilities`, granted by a `[[security_exceptions]]` entry",
};
const IDENTITY: Capability = Elsewhere {
    fact: "each service has a ServiceAccount of its own, named after it, which acts as the cloud identity under `identity`",
    keys: "set `identity = { aws_role = \"arn:aws:iam::<account>:role/<name>\" }` (or `gcp_service_account`, `azure_client_id`) on the service, or per environment under `overrides.<env>.identity`",
};
const PLACEMENT: Capability = Elsewhere {
    fact: "where pods run is under `scheduling`, for a service, an environment's or a cluster's overrides, or `[defaults]`",
    keys: "set `scheduling = { node_selector = { … }, tolerations = [ … ], node_affinity = { required = { … } }, priority_class = \"…\", spread = \"strict\" }`",
};
const DISRUPTION: Capability = Elsewhere {
    fact: "a service's PodDisruptionBudget is its `disruption`",
    keys: "set `disruption = { min_available = 2 }` or `disruption = { max_unavailable = \"25%\" }` on the service",
};
const OWN_FILES: Capability = Elsewhere {
    fact: "objects and patches the spec has no key for are YAML files beside the spec, which the service lists",
    keys: "list them under `manifests` (objects of the service's own) or `patches` (strategic merge or JSON 6902), on the service, under `overrides.<env>` or `overrides.<env>.clusters.<cluster>`",
};

/// Every word, as [`normalized`] writes it, with the capability it names.
const WORDS: &[(&str, Capability)] = &[
    ("image", IMAGE),
    ("imagename", IMAGE),
    ("tag", IMAGE),
    ("imagetag", IMAGE),
    ("ports", PORTS),
    ("containerport", PORTS),
    ("containerports", PORTS),
    ("kind", KIND),
    ("type", KIND),
    ("workload", KIND),
    ("livenessprobe", PROBES),
    ("readinessprobe", PROBES),
    ("startupprobe", PROBES),
    ("healthcheck", PROBES),
    ("health", PROBES),
    ("limits", RESOURCES),
    ("requests", RESOURCES),
    ("cpu", RESOURCES),
    ("memory", RESOURCES),
    ("hpa", SCALING),
    ("scaling", SCALING),
    ("minreplicas", SCALING),
    ("maxreplicas", SCALING),
    ("variables", VARIABLES),
    ("vars", VARIABLES),
    ("envfrom", VARIABLES),
    ("environmentvariables", VARIABLES),
    ("host", HOSTS),
    ("hosts", HOSTS),
    ("ingress", HOSTS),
    ("path", HOSTS),
    ("sidecars", CONTAINERS),
    ("sidecar", CONTAINERS),
    ("initcontainers", CONTAINERS),
    ("containers", CONTAINERS),
    ("command", COMMAND),
    ("args", COMMAND),
    ("arguments", COMMAND),
    ("entrypoint", COMMAND),
    ("volumes", VOLUMES),
    ("volumemounts", VOLUMES),
    ("mounts", VOLUMES),
    ("persistence", VOLUMES),
    ("storage", VOLUMES),
    ("configmap", CONFIG_FILES),
    ("configmaps", CONFIG_FILES),
    ("configfile", CONFIG_FILES),
    ("configs", CONFIG_FILES),
    ("files", CONFIG_FILES),
    ("schedule", JOBS),
    ("cron", JOBS),
    ("cronjob", JOBS),
    ("job", JOBS),
    ("jobs", JOBS),
    ("security", SECURITY),
    ("securitycontext", SECURITY),
    ("runasuser", SECURITY),
    ("privileged", PRIVILEGED),
    ("capabilities", SECURITY),
    ("serviceaccount", IDENTITY),
    ("serviceaccountname", IDENTITY),
    ("iamrole", IDENTITY),
    ("rolearn", IDENTITY),
    ("workloadidentity", IDENTITY),
    ("podidentity", IDENTITY),
    ("irsa", IDENTITY),
    ("kustomize", OWN_FILES),
    ("kustomization", OWN_FILES),
    ("manifest", OWN_FILES),
    ("extramanifests", OWN_FILES),
    ("rawmanifests", OWN_FILES),
    ("extraresources", OWN_FILES),
    ("extraobjects", OWN_FILES),
    ("patch", OWN_FILES),
    ("patchesstrategicmerge", OWN_FILES),
    ("patchesjson6902", OWN_FILES),
    ("jsonpatches", OWN_FILES),
    ("overlay", OWN_FILES),
    ("overlays", OWN_FILES),
    ("nodeselector", PLACEMENT),
    ("tolerations", PLACEMENT),
    ("affinity", PLACEMENT),
    ("nodeaffinity", PLACEMENT),
    ("priorityclass", PLACEMENT),
    ("priorityclassname", PLACEMENT),
    ("topologyspreadconstraints", PLACEMENT),
    ("pdb", DISRUPTION),
    ("poddisruptionbudget", DISRUPTION),
    ("minavailable", DISRUPTION),
    ("maxunavailable", DISRUPTION),
];

/// The capability `key` names, if it names one: spelt in any case, with `_`, `-` or neither
/// between its words (`init_containers`, `initContainers`).
pub(super) fn capability(key: &str) -> Option<Capability> {
    let key = normalized(key);
    WORDS
        .iter()
        .find(|(word, _)| *word == key)
        .map(|(_, capability)| *capability)
}

fn normalized(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Capability, WORDS, capability, normalized};

    #[test]
    fn spellings_of_a_word_name_one_capability() {
        for key in ["run_as_user", "runAsUser", "RUN-AS-USER"] {
            assert!(
                matches!(capability(key), Some(Capability::Elsewhere { .. })),
                "{key}"
            );
        }
        assert!(matches!(
            capability("image"),
            Some(Capability::Elsewhere { .. })
        ));
        assert_eq!(capability("replica"), None);
    }

    #[test]
    fn keys_for_what_the_spec_has_no_key_for_point_to_the_files_beside_it() {
        for key in ["patchesStrategicMerge", "extra_manifests", "kustomize"] {
            let Some(Capability::Elsewhere { keys, .. }) = capability(key) else {
                panic!("{key} names the files beside the spec");
            };
            assert!(
                keys.contains("patches") || keys.contains("manifests"),
                "{key}: {keys}"
            );
        }
    }

    #[test]
    fn keys_for_more_containers_point_to_sidecars_and_init_containers() {
        for key in ["containers", "initContainers", "sidecar"] {
            let Some(Capability::Elsewhere { keys, .. }) = capability(key) else {
                panic!("{key} names the containers");
            };
            assert!(
                keys.contains("sidecars") && keys.contains("init_containers"),
                "{key}: {keys}"
            );
        }
    }

    #[test]
    fn keys_for_a_pods_cloud_identity_point_to_identity() {
        for key in [
            "serviceAccountName",
            "iam_role",
            "role-arn",
            "workload_identity",
        ] {
            let Some(Capability::Elsewhere { keys, .. }) = capability(key) else {
                panic!("{key} names the identity");
            };
            assert!(keys.contains("identity"), "{key}: {keys}");
        }
    }

    #[test]
    fn every_word_is_written_as_it_is_looked_up() {
        for (word, _) in WORDS {
            assert_eq!(normalized(word), *word);
        }
    }
}
