//! Spec → Model: defaults applied, references followed, every service × environment resolved.
//! Runs only on a spec that validated, and never fails on one.

pub(crate) mod certificates;
pub(crate) mod clusters;
mod config_files;
pub(crate) mod escape_hatch;
mod extra_containers;
pub(crate) mod identity;
pub(crate) mod monitoring;
pub(crate) mod ports;
mod resources;
mod scheduling;
mod security;
pub(crate) mod spec_files;
pub(crate) mod terraform;
pub(crate) mod workload;

use indexmap::IndexMap;

use crate::model::{
    AnalysisModel, BaseRef, BlockedBase, CanaryStepModel, CiPin, ClusterModel, ColourRun,
    Deployment, DeploymentSecrets, EnterpriseModel, EnvironmentModel, Hpa, ImageRef, Model,
    RolloutKind, RolloutModel, SecretStoreModel, ServiceModel, SyncWindowModel, TeamModel,
    Telemetry,
};
use crate::naming::table;
use crate::resolve::clusters::{certificate, clusters, secret_store};
use crate::spec::{
    Colour, ImageStatus, OtlpProtocol, Place, SecretRef, Service, Spec, Strategy, SyncMode,
    WorkloadKind, inherited_at,
};

const DEFAULT_CPU_TARGET: u32 = 75;

/// `read` holds the files beside the spec the escape hatch lists.
pub(crate) fn resolve(spec: &Spec, spec_name: &str, read: &crate::model::SpecFiles) -> Model {
    let enterprise = EnterpriseModel {
        name: spec.enterprise.name.clone(),
        registry: spec.enterprise.registry.trim_end_matches('/').to_owned(),
        registries: crate::model::unique(
            std::iter::once(&spec.enterprise.registry)
                .chain(&spec.enterprise.registries)
                .map(|r| r.trim_end_matches('/').to_owned()),
        ),
        gitops_repo: spec.enterprise.gitops_repo.clone(),
        gitops_path: spec.enterprise.gitops_path.trim_matches('/').to_owned(),
        target_revision: spec.enterprise.target_revision.clone(),
        platform_team: spec.enterprise.platform_team.clone(),
        argocd_namespace: spec.enterprise.argocd_namespace.clone(),
        ingress_class: spec.enterprise.ingress_class.clone(),
        ingress_namespace: spec.enterprise.ingress_namespace.clone(),
        telemetry: spec.observability.as_ref().and_then(|o| {
            Some(Telemetry {
                endpoint: o.otlp_endpoint.clone()?,
                protocol: o.protocol.unwrap_or(OtlpProtocol::Grpc).as_str(),
            })
        }),
        monitoring: crate::resolve::monitoring::monitoring(spec),
    };
    let last = spec.environments.len().saturating_sub(1);
    let environments = spec
        .environments
        .iter()
        .enumerate()
        .map(|(i, (name, env))| {
            let namespace = env.namespace_or_default(&enterprise.name, name);
            let preview_domain = env
                .preview_domain
                .clone()
                .unwrap_or_else(|| crate::naming::preview_host(&env.domain));
            let secret_store = env
                .secret_store
                .as_ref()
                .map(|store| secret_store(&enterprise.name, name, store));
            EnvironmentModel {
                name: name.clone(),
                clusters: clusters(
                    &enterprise,
                    name,
                    env,
                    &preview_domain,
                    secret_store.as_ref(),
                ),
                domain: env.domain.clone(),
                certificate: certificate(&enterprise, name, env, [&env.domain, &preview_domain]),
                preview_domain,
                project: table::PROJECT.build(&[&enterprise.name, name]),
                namespace,
                auto_sync: env.sync == SyncMode::Auto,
                production: env.production.unwrap_or(i == last),
                require_digest: env.require_digest,
                approvers: env.approvers.clone(),
                sync_windows: env
                    .sync_windows
                    .iter()
                    .map(|w| SyncWindowModel {
                        kind: w.kind,
                        schedule: w.schedule.clone(),
                        duration: w.duration.clone(),
                        manual_sync: w.manual_sync,
                        timezone: w.timezone.clone(),
                    })
                    .collect(),
                secret_store,
                pod_security: env.pod_security,
                security_grants: security::security_grants(spec, name),
            }
        })
        .collect::<Vec<_>>();
    let teams = teams_by_name(spec);
    // Services and teams are taken in the order of their names, not of the spec's text: the
    // tree is the same however the spec is laid out, in one file or in many.
    let mut services: Vec<ServiceModel> = spec
        .services
        .iter()
        .map(|(name, service)| {
            resolve_service(spec, &enterprise, &environments, (name, service), read)
        })
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let terraform = spec.terraform.as_ref().map_or_else(Vec::new, |terraform| {
        crate::resolve::terraform::resolve_terraform(terraform, &environments, &services)
    });
    Model {
        spec_name: spec_name.to_owned(),
        enterprise,
        environments,
        teams,
        terraform,
        services,
        blocked_bases: blocked_bases(spec),
        spec_files: Vec::new(),
    }
}

fn teams_by_name(spec: &Spec) -> Vec<TeamModel> {
    let mut teams: Vec<TeamModel> = spec
        .teams
        .iter()
        .map(|(name, team)| TeamModel {
            name: name.clone(),
            owners: team.owners.clone(),
        })
        .collect();
    teams.sort_by(|a, b| a.name.cmp(&b.name));
    teams
}

/// The services that depend on `name`, in the order of their names.
fn callers_of(spec: &Spec, name: &str) -> Vec<String> {
    let mut callers: Vec<String> = spec
        .services
        .iter()
        .filter(|(_, other)| other.depends_on.iter().any(|d| d == name))
        .map(|(caller, _)| caller.clone())
        .collect();
    callers.sort();
    callers
}

fn resolve_service(
    spec: &Spec,
    enterprise: &EnterpriseModel,
    environments: &[EnvironmentModel],
    (name, service): (&str, &Service),
    read: &crate::model::SpecFiles,
) -> ServiceModel {
    let base = service
        .base
        .as_deref()
        .map(|base| resolve_base(spec, &enterprise.registry, base));
    let labels = service_labels(enterprise, name, &service.team);
    let repository = service
        .image
        .clone()
        .unwrap_or_else(|| format!("{}/{name}", enterprise.registry));
    let deployments = environments
        .iter()
        .filter(|env| {
            service
                .environments
                .as_ref()
                .is_none_or(|listed| listed.contains(&env.name))
        })
        .flat_map(|env| {
            let places = spec
                .environments
                .get(&env.name)
                .map(|spec_env| Place::all_of(&env.name, spec_env))
                .unwrap_or_default();
            places
                .into_iter()
                .zip(&env.clusters)
                .map(|(place, cluster)| {
                    let mut deployment =
                        resolve_deployment(spec, name, service, env, cluster, &place, &repository);
                    escape_hatch::overlay_files(name, service, read, &mut deployment);
                    deployment.config = config_files::place(
                        name,
                        service,
                        read,
                        &deployment.environment,
                        deployment.cluster.as_deref(),
                    );
                    deployment
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let ports = ports::ports(service, &spec.defaults);
    let probes = ports::probes(service, &spec.defaults, &ports);
    let route_port = ports::route_port(service, &ports, spec.enterprise.routes_grpc());
    ServiceModel {
        name: name.to_owned(),
        kind: service.kind,
        run: workload::run(service),
        storage: workload::storage_mounts(service),
        scratch: workload::scratch_mounts(service),
        secret_files: service.secret_files.clone(),
        config_mounts: config_files::mounts(service),
        config_name: config_files::base_name(name, service, read),
        command: service.command.clone(),
        args: service.args.clone(),
        pod_env: service.pod_env.clone(),
        pull: service.pull,
        extra_containers: extra_containers::extra_containers(service),
        security: security::security(service),
        disruption: scheduling::disruption(service),
        team: service.team.clone(),
        owners: spec
            .teams
            .get(&service.team)
            .map(|team| team.owners.clone())
            .unwrap_or_default(),
        description: service.description.clone(),
        base,
        ports,
        repository,
        probes,
        route: service.route.clone(),
        route_port,
        depends_on: service.depends_on.clone(),
        callers: callers_of(spec, name),
        strategy: service.strategy,
        repository_slug: service
            .repository
            .clone()
            .unwrap_or_else(|| format!("{}/{name}", github_org(&enterprise.gitops_repo))),
        ci: spec.ci.as_ref().map(|ci| CiPin {
            template: ci.template.clone(),
            version: ci
                .waves
                .iter()
                .find(|wave| wave.services.iter().any(|s| s == name))
                .map_or_else(|| ci.version.clone(), |wave| wave.version.clone()),
        }),
        rollout: resolve_rollout(spec, service),
        monitoring: crate::resolve::monitoring::service_monitoring(spec, name, service),
        labels,
        deployments,
        own_manifests: escape_hatch::base_manifests(name, service, read),
    }
}

/// The labels every object of a service carries.
fn service_labels(
    enterprise: &EnterpriseModel,
    name: &str,
    team: &str,
) -> IndexMap<String, String> {
    let mut labels = IndexMap::new();
    labels.insert("app.kubernetes.io/name".to_owned(), name.to_owned());
    labels.insert(
        "app.kubernetes.io/part-of".to_owned(),
        enterprise.name.clone(),
    );
    labels.insert(
        "app.kubernetes.io/managed-by".to_owned(),
        "fleetc".to_owned(),
    );
    labels.insert("fleetc.io/team".to_owned(), team.to_owned());
    labels
}

fn resolve_base(spec: &Spec, registry: &str, base: &str) -> BaseRef {
    let (name, version) = base.split_once(':').unwrap_or((base, ""));
    let catalog = spec.base_images.get(name);
    let entry = catalog.and_then(|c| c.versions.get(version));
    BaseRef {
        name: name.to_owned(),
        version: version.to_owned(),
        image: catalog.map_or_else(String::new, |c| format!("{registry}/{}", c.image)),
        digest: entry.and_then(|e| e.digest.clone()),
        status: entry.map_or(ImageStatus::Approved, |e| e.status),
    }
}

fn resolve_deployment(
    spec: &Spec,
    name: &str,
    service: &Service,
    env: &EnvironmentModel,
    cluster: &ClusterModel,
    place: &Place<'_>,
    repository: &str,
) -> Deployment {
    let settings = inherited_at(&spec.defaults, service, place);
    let replicas = u32::try_from(settings.replicas.unwrap_or(1)).unwrap_or(0);

    let resources = resources::resolved_resources(settings.resources);

    let autoscaling = settings.autoscaling;
    // A statefulset's pods each own data: it scales only where the spec says so.
    let scales = match service.kind {
        WorkloadKind::Deployment | WorkloadKind::Worker => autoscaling.enabled.unwrap_or(true),
        WorkloadKind::StatefulSet => autoscaling.enabled == Some(true),
        WorkloadKind::CronJob | WorkloadKind::Job => false,
    };
    let autoscaling = (scales && replicas > 0).then(|| {
        let max = autoscaling
            .max
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(replicas * 3);
        Hpa {
            min: replicas,
            max: max.max(replicas),
            cpu_utilization: autoscaling
                .cpu
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(DEFAULT_CPU_TARGET),
        }
    });
    let most_pods = autoscaling.as_ref().map_or(replicas, |hpa| hpa.max);
    let scheduling =
        scheduling::scheduling(settings.scheduling, service.kind, &cluster.zones, most_pods);
    let vars = settings.env;
    let secrets = resolve_secrets(name, cluster.secret_store.as_ref(), &settings.secrets);

    let (colours, live) = resolve_colours(
        spec,
        service,
        (&env.name, cluster.name.as_deref()),
        repository,
    );

    Deployment {
        environment: env.name.clone(),
        cluster: cluster.name.clone(),
        namespace: env.namespace.clone(),
        replicas,
        autoscaling,
        resources,
        env: vars,
        secrets,
        sample_ratio: spec.observability.as_ref().and_then(|o| {
            o.otlp_endpoint.as_ref()?;
            Some(
                o.sample_ratio
                    .as_ref()
                    .and_then(|r| r.get(&env.name).copied())
                    .unwrap_or(1.0),
            )
        }),
        alert_severity: crate::resolve::monitoring::alert_severity(spec, env),
        colours,
        live,
        suspend: workload::suspended(service, &env.name),
        partition: workload::partition(service, &env.name),
        claims: workload::claims(service, &env.name),
        identity: identity::pod_identity(service, &env.name, cluster.name.as_deref()),
        own_manifests: Vec::new(),
        own_patches: Vec::new(),
        config: None,
        scheduling,
    }
}

/// The variables a service reads from the environment's store, once inheritance has
/// spoken; none without a store (validation refuses that).
fn resolve_secrets(
    service: &str,
    store: Option<&SecretStoreModel>,
    references: &IndexMap<String, String>,
) -> Option<DeploymentSecrets> {
    let store = store?;
    let variables: IndexMap<String, SecretRef> = references
        .iter()
        .filter_map(|(name, text)| Some((name.clone(), SecretRef::parse(text).ok()?)))
        .collect();
    (!variables.is_empty()).then(|| DeploymentSecrets {
        store: store.name.clone(),
        refresh: store.refresh.clone(),
        target: table::SERVICE_SECRET.build(&[service]),
        variables,
    })
}

/// The colours that run in a cluster of an environment: as its release state says (the
/// cluster's own, or the environment's), or blue running the service's version.
fn resolve_colours(
    spec: &Spec,
    service: &Service,
    (env, cluster): (&str, Option<&str>),
    repository: &str,
) -> (Vec<ColourRun>, Colour) {
    let registry = spec.enterprise.registry.trim_end_matches('/');
    let state = service.state_at(env, cluster);
    let colours = Colour::ALL
        .into_iter()
        .filter_map(|colour| {
            state.version(colour).map(|version| ColourRun {
                colour,
                image: ImageRef::from_version(repository, version),
                base: service
                    .base_of(version)
                    .map(|base| resolve_base(spec, registry, base)),
            })
        })
        .collect();
    (colours, state.live)
}

const DEFAULT_CANARY: [(u32, Option<&str>); 4] = [
    (10, Some("5m")),
    (30, Some("5m")),
    (60, Some("5m")),
    (100, None),
];
fn resolve_rollout(spec: &Spec, service: &Service) -> Option<RolloutModel> {
    let kind = match service.strategy {
        Strategy::BlueGreen => return None,
        Strategy::RolloutBlueGreen => RolloutKind::BlueGreen,
        Strategy::Canary => RolloutKind::Canary(match &service.canary {
            Some(canary) => canary
                .steps
                .iter()
                .map(|step| CanaryStepModel {
                    weight: u32::try_from(step.weight).unwrap_or(100),
                    pause: step.pause.clone(),
                })
                .collect(),
            None => DEFAULT_CANARY
                .iter()
                .map(|(weight, pause)| CanaryStepModel {
                    weight: *weight,
                    pause: pause.map(str::to_owned),
                })
                .collect(),
        }),
    };
    let slo = crate::resolve::monitoring::slo(service);
    Some(RolloutModel {
        kind,
        analysis: AnalysisModel {
            prometheus: crate::resolve::monitoring::analysis_prometheus(spec, service),
            success_rate: slo.success_rate,
            p99_latency_ms: slo.p99_latency_ms,
        },
    })
}

fn blocked_bases(spec: &Spec) -> Vec<BlockedBase> {
    spec.base_images
        .iter()
        .filter_map(|(name, image)| {
            let versions: Vec<String> = image
                .versions
                .iter()
                .filter(|(_, v)| v.status == ImageStatus::Blocked)
                .map(|(version, _)| version.clone())
                .collect();
            if versions.is_empty() {
                return None;
            }
            let excepted_services = crate::model::unique(
                spec.exceptions
                    .iter()
                    .filter(|e| {
                        e.base
                            .split_once(':')
                            .is_some_and(|(n, v)| n == name && versions.iter().any(|b| b == v))
                    })
                    .map(|e| e.service.clone()),
            );
            Some(BlockedBase {
                name: name.clone(),
                versions,
                excepted_services,
            })
        })
        .collect()
}

/// `https://github.com/acme/gitops.git` → `acme`.
fn github_org(repo_url: &str) -> String {
    repo_url
        .trim_end_matches(".git")
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .nth(1)
        .unwrap_or_default()
        .to_owned()
}
