//! The governance edits: the base image catalog, exceptions, CI template waves and Terraform
//! module pins, each a spec edit checked like a release.

use super::edit::Leniency;
use super::run::{Outcome, Run};
use crate::edit::{
    Approval, ExceptionRequest, approve_base, block_base, grant_exception, move_to_wave, pin_module,
};

/// Edits of the catalog may be made while a base is blocked, and only a block adds errors.
const CATALOG: Leniency = Leniency::Catalog { may_add: false };

impl Run<'_> {
    pub(super) fn block_base(
        &self,
        name: &str,
        version: &str,
        reason: &str,
        show_diff: bool,
    ) -> Outcome {
        // The services still built on the version fail the build from now on: that is the
        // point of a block, so their errors are let through and named.
        self.edit_spec(
            Leniency::Catalog { may_add: true },
            show_diff,
            |spec, text| block_base(spec, text, name, version, reason, self.today),
        )
    }

    pub(super) fn approve_base(
        &self,
        name: &str,
        version: &str,
        approval: &Approval<'_>,
        show_diff: bool,
    ) -> Outcome {
        self.edit_spec(CATALOG, show_diff, |spec, text| {
            approve_base(spec, text, name, version, approval)
        })
    }

    pub(super) fn grant_exception(
        &self,
        request: &ExceptionRequest<'_>,
        show_diff: bool,
    ) -> Outcome {
        self.edit_spec(CATALOG, show_diff, |spec, text| {
            grant_exception(spec, text, request, self.today)
        })
    }

    pub(super) fn move_wave(&self, service: &str, version: &str, show_diff: bool) -> Outcome {
        self.edit_spec(CATALOG, show_diff, |spec, text| {
            move_to_wave(spec, text, service, version)
        })
    }

    pub(super) fn pin_module(
        &self,
        module: &str,
        env: Option<&str>,
        pin: &str,
        show_diff: bool,
    ) -> Outcome {
        self.edit_spec(CATALOG, show_diff, |spec, text| {
            pin_module(spec, text, module, env, pin)
        })
    }
}
