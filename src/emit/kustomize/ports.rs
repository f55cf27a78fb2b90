//! How Kubernetes names what a port runs over.

use crate::spec::PortProtocol;

/// The transport a port's protocol runs over, as Kubernetes names it.
pub(super) fn transport(protocol: PortProtocol) -> &'static str {
    match protocol {
        PortProtocol::Udp => "UDP",
        _ => "TCP",
    }
}
