//! The containers of a service's pods besides its own: native sidecars first, so that they
//! are up before any init container runs (a proxy an init container calls through), then the
//! init containers in the order the spec lists them.

use crate::model::{ExtraContainerModel, PortModel, ResolvedProbes};
use crate::spec::{ContainerPort, DEFAULT_CPU, DEFAULT_MEMORY, Limit, Resources, Service};
use indexmap::IndexMap;

pub(super) fn extra_containers(service: &Service) -> Vec<ExtraContainerModel> {
    let sidecars = service.sidecars.iter().map(|(name, sidecar)| {
        let ports = ports(&sidecar.ports);
        let probes = super::ports::given_probes(sidecar.probes.as_ref(), &ports);
        container(
            name,
            true,
            Given {
                image: sidecar.image.as_deref(),
                version: sidecar.version.as_deref(),
                command: sidecar.command.as_ref(),
                args: sidecar.args.as_ref(),
                env: &sidecar.env,
                resources: sidecar.resources.as_ref(),
            },
            ports,
            probes,
        )
    });
    let init = service.init_containers.iter().map(|(name, init)| {
        container(
            name,
            false,
            Given {
                image: init.image.as_deref(),
                version: init.version.as_deref(),
                command: init.command.as_ref(),
                args: init.args.as_ref(),
                env: &init.env,
                resources: init.resources.as_ref(),
            },
            Vec::new(),
            ResolvedProbes::default(),
        )
    });
    sidecars.chain(init).collect()
}

/// What both kinds of container say.
#[derive(Clone, Copy)]
struct Given<'a> {
    image: Option<&'a str>,
    version: Option<&'a str>,
    command: Option<&'a Vec<String>>,
    args: Option<&'a Vec<String>>,
    env: &'a IndexMap<String, String>,
    resources: Option<&'a Resources>,
}

fn container(
    name: &str,
    sidecar: bool,
    given: Given<'_>,
    ports: Vec<PortModel>,
    probes: ResolvedProbes,
) -> ExtraContainerModel {
    let resources = given.resources.cloned().unwrap_or_default();
    let memory = resources
        .memory
        .unwrap_or_else(|| DEFAULT_MEMORY.to_owned());
    ExtraContainerModel {
        name: name.to_owned(),
        sidecar,
        image: given
            .image
            .map(|image| format!("{image}:{}", given.version.unwrap_or_default())),
        command: given.command.cloned(),
        args: given.args.cloned(),
        env: given.env.clone(),
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
