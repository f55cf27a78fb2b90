//! Per service a CI caller workflow (`ci/<svc>.yml`) that runs the shared template at the
//! version of the service's rollout wave, with OIDC and the image scan gate.

use minijinja::{Environment, context};

use crate::emit::header::header;
use crate::model::Model;
use crate::tree::origin::{Anchor, key};
use crate::tree::{Tree, layout};

const WORKFLOW: &str = include_str!("templates/workflow.yml.j2");

pub(super) fn emit(model: &Model, tree: &mut Tree) {
    let mut env = Environment::new();
    env.add_template("workflow", WORKFLOW)
        .expect("the workflow template parses");
    let template = env.get_template("workflow").expect("just added");
    for service in &model.services {
        let Some(ci) = &service.ci else { continue };
        // An image built elsewhere has no build of its own here.
        let Some(base) = &service.base else { continue };
        let text = template
            .render(context! {
                header => header(model, &format!("services.{} and [ci]", service.name)),
                repository => &service.repository_slug,
                service => &service.name,
                template => &ci.template,
                version => &ci.version,
                image => &service.repository,
                base_image => format!("{}:{}", base.image, base.version),
            })
            .expect("the workflow template renders with every value given");
        let path = layout::ci_file(&service.name);
        let mut origins = tree.gather();
        // The shared template is named at the version of the service's wave.
        let pinned = format!("{}@{}", ci.template, ci.version);
        for (index, line) in text.lines().enumerate() {
            if line.contains(&pinned) {
                origins.add(|| {
                    let at = index + 1;
                    (
                        Anchor::Lines(at..=at),
                        vec![key(&["ci", "waves"]), key(&["ci", "version"])],
                    )
                });
            }
        }
        origins.file(|| vec![key(&["services", &service.name]), key(&["ci"])]);
        tree.record(&path, origins);
        tree.insert(path, format!("{text}\n"));
    }
}
