use super::run::{EXIT_BAD_INPUT, EXIT_OK, Outcome, Run};
use crate::sink::user_file::replace_user_file;
use crate::source::display_path;

impl Run<'_> {
    pub(super) fn init(&self, services: usize, teams: Option<usize>, force: bool) -> Outcome {
        if services == 0 || services > 20_000 {
            eprintln!("error: --services takes 1 to 20000, not {services}");
            return Err(EXIT_BAD_INPUT);
        }
        let teams = teams.unwrap_or(services.min(8));
        if teams == 0 || teams > services {
            eprintln!("error: --teams takes 1 to the number of services ({services}), not {teams}");
            return Err(EXIT_BAD_INPUT);
        }
        if self.spec.exists() && !force {
            eprintln!(
                "error: `{}` exists; pass --force to overwrite it",
                display_path(self.spec)
            );
            return Err(EXIT_BAD_INPUT);
        }
        if let Err(error) = replace_user_file(
            self.spec,
            crate::spec::starter::starter_spec_of_teams(services, teams).as_bytes(),
        ) {
            eprintln!("error: cannot write the spec: {error}");
            return Err(EXIT_BAD_INPUT);
        }
        println!(
            "wrote {} ({services} services in 3 environments); next: `fleetc build`",
            display_path(self.spec)
        );
        Ok(EXIT_OK)
    }
}
