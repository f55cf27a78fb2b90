//! A sidecar and an init container, read alike: what both say of their container.

use indexmap::IndexMap;

use super::Resources;

/// What a sidecar and an init container both say of their container.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContainerSettings<'a> {
    /// `sidecars` or `init_containers`: the table it is written in.
    pub(crate) table: &'static str,
    pub(crate) name: &'a str,
    pub(crate) sidecar: bool,
    pub(crate) image: Option<&'a str>,
    pub(crate) version: Option<&'a str>,
    pub(crate) command: Option<&'a Vec<String>>,
    pub(crate) args: Option<&'a Vec<String>>,
    pub(crate) env: &'a IndexMap<String, String>,
    pub(crate) secrets: &'a [String],
    pub(crate) resources: Option<&'a Resources>,
}

impl super::Service {
    /// Every container of the pod besides the service's own, as the spec writes it: the
    /// sidecars, then the init containers, each in the order the spec lists them.
    pub(crate) fn extra_container_settings(&self) -> impl Iterator<Item = ContainerSettings<'_>> {
        let sidecars = self.sidecars.iter().map(|(name, s)| ContainerSettings {
            table: "sidecars",
            name,
            sidecar: true,
            image: s.image.as_deref(),
            version: s.version.as_deref(),
            command: s.command.as_ref(),
            args: s.args.as_ref(),
            env: &s.env,
            secrets: &s.secrets,
            resources: s.resources.as_ref(),
        });
        let init = self
            .init_containers
            .iter()
            .map(|(name, i)| ContainerSettings {
                table: "init_containers",
                name,
                sidecar: false,
                image: i.image.as_deref(),
                version: i.version.as_deref(),
                command: i.command.as_ref(),
                args: i.args.as_ref(),
                env: &i.env,
                secrets: &i.secrets,
                resources: i.resources.as_ref(),
            });
        sidecars.chain(init)
    }
}
