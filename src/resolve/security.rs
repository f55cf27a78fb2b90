//! How each service's containers run, and what each environment lets them.

use crate::model::{SecurityGrant, SecurityModel};
use crate::spec::{Service, Spec};

pub(super) fn security(service: &Service) -> SecurityModel {
    let given = service.security.clone().unwrap_or_default();
    SecurityModel {
        user: given.user(),
        group: given.group(),
        fs_group: given.fs_group(),
        writable_root: given.writable_root,
        tmp: given.tmp(),
        needs: given.level_needed().0,
        capabilities: given.capabilities,
    }
}

/// The services `[[security_exceptions]]` let run at more than `env` enforces: the most
/// permissive exception of each service that holds there.
pub(super) fn security_grants(spec: &Spec, env: &str) -> Vec<SecurityGrant> {
    let mut grants: Vec<SecurityGrant> = Vec::new();
    for (index, exception) in spec.security_exceptions.iter().enumerate() {
        let holds_here = exception
            .environments
            .as_ref()
            .is_none_or(|listed| listed.iter().any(|e| e == env));
        let runs_here = spec
            .services
            .get(&exception.service)
            .is_some_and(|service| {
                service
                    .environments
                    .as_ref()
                    .is_none_or(|listed| listed.iter().any(|e| e == env))
            });
        if !holds_here || !runs_here {
            continue;
        }
        match grants.iter_mut().find(|g| g.service == exception.service) {
            Some(grant) if grant.level < exception.level => {
                grant.level = exception.level;
                grant.exception = index;
                grant.reason.clone_from(&exception.reason);
                grant.ticket.clone_from(&exception.ticket);
            }
            Some(_) => {}
            None => grants.push(SecurityGrant {
                service: exception.service.clone(),
                level: exception.level,
                exception: index,
                reason: exception.reason.clone(),
                ticket: exception.ticket.clone(),
            }),
        }
    }
    grants
}
