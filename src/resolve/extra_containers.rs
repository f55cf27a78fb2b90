//! The containers of a service's pods besides its own: native sidecars first, so that they
//! are up before any init container runs (a proxy an init container calls through), then the
//! init containers in the order the spec lists them.

use crate::model::{ExtraContainerModel, PortModel, ResolvedProbes};
use crate::spec::{ContainerPort, ContainerSettings, DEFAULT_CPU, DEFAULT_MEMORY, Limit, Service};
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
    let resources = given.resources.cloned().unwrap_or_default();
    let memory = resources
        .memory
        .unwrap_or_else(|| DEFAULT_MEMORY.to_owned());
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
        cpu: resources.cpu.unwrap_or_else(|| DEFAULT_CPU.to_owned()),
        memory_limit: match resources.memory_limit {
            Some(Limit::Quantity(limit)) => Some(limit),
            Some(Limit::Off(_)) => None,
            None => Some(memory.clone()),
        },
        memory,
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
