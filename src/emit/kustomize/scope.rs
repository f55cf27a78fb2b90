//! What every file of a service shares: the scope it is written in, its labels, and the
//! names of its objects.

use serde_json::Value;

use crate::model::{Colour, EnterpriseModel, Model, ServiceModel};
use crate::naming::table;

/// What a service's files read of the estate besides the service's own model; everything an
/// environment decides is resolved into the service's deployments. Two estates with equal
/// scopes give equal files for equal service models, which lets a review emit only the
/// services that changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ServiceScope<'a> {
    pub spec_name: &'a str,
    pub enterprise: &'a EnterpriseModel,
}

impl<'a> ServiceScope<'a> {
    pub(crate) fn of(model: &'a Model) -> Self {
        Self {
            spec_name: &model.spec_name,
            enterprise: &model.enterprise,
        }
    }
}

/// Name of the Deployment (and its HPA) of one colour.
pub(super) fn colour_name(service: &str, colour: Colour) -> String {
    table::COLOUR_DEPLOYMENT.build(&[service, colour.as_str()])
}

/// Name of the Service that reaches the idle colour during a release.
pub(crate) fn preview_name(service: &str) -> String {
    table::PREVIEW_SERVICE.build(&[service])
}

pub(crate) fn labels(service: &ServiceModel) -> Value {
    serde_json::json!(service.labels)
}
