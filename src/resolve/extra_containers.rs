//! The containers of a service's pods besides its own: native sidecars first, so that they
//! are up before any init container runs (a proxy an init container calls through), then the
//! init containers in the order the spec lists them.

use crate::model::{ExtraContainerModel, PortModel, ResolvedProbes};
use crate::spec::{ContainerPort, ContainerSettings, Service};
use indexmap::IndexMap;

pub(super) fn extra_containers(service: &Service) -> Vec<ExtraContainerModel> {
    service
        .extra_container_settings()
        .map(|given| {
            let (ports, probes) = match service.sidecars.get(given.name) {
                Some(sidecar) if given.sidecar => {
                    let ports = ports(&sidecar.ports);
                    let probes = super::ports::given_probes(sidecar.probes.as_ref(), &ports);
                    (ports, probes)
                }
                _ => (Vec::new(), ResolvedProbes::default()),
            };
            container(given, ports, probes)
        })
        .collect()
}

fn container(
    given: ContainerSettings<'_>,
    ports: Vec<PortModel>,
    probes: ResolvedProbes,
) -> ExtraContainerModel {
    let resources =
        super::resources::resolved_resources(given.resources.cloned().unwrap_or_default());
    ExtraContainerModel {
        name: given.name.to_owned(),
        sidecar: given.sidecar,
        image: given
            .image
            .map(|image| format!("{image}:{}", given.version.unwrap_or_default())),
        command: given.command.cloned(),
        args: given.args.cloned(),
        env: given.env.clone(),
        secrets: given.secrets.to_vec(),
        cpu: resources.cpu,
        memory_limit: resources.memory_limit,
        memory: resources.memory,
        cpu_limit: resources.cpu_limit,
        ports,
        probes,
    }
}

fn ports(ports: &IndexMap<String, ContainerPort>) -> Vec<PortModel> {
    ports
        .iter()
        .map(|(name, port)| {
            let number = u16::try_from(port.port).unwrap_or_default();
            PortModel {
                name: name.clone(),
                port: number,
                protocol: port.protocol,
                expose: number,
            }
        })
        .collect()
}
