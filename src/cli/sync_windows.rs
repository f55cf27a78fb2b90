//! The sync window check of the commands that move versions into an environment.

use crate::edit::EditError;
use crate::gate::closed_at;
use crate::spec::Spec;

/// An environment Argo CD would not sync now takes no releases or promotions: inside an open
/// deny window, or outside every allow window it has. The change would wait in git and land
/// when the window changes, unwatched.
pub(super) fn refuse_outside_sync_windows(
    spec: &Spec,
    env: &str,
    now: jiff::Timestamp,
) -> Result<(), EditError> {
    let Some(environment) = spec.environments.get(env) else {
        return Ok(());
    };
    let Some(closed) = closed_at(environment, now) else {
        return Ok(());
    };
    let index = (closed.number() - 1).to_string();
    Err(EditError::refused(closed.message(env))
        .help(closed.help())
        .at(&["environments", env, "sync_windows", &index]))
}
