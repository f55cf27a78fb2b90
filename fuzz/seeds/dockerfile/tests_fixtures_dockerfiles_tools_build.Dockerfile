1from registry.acme.example/platform/node:20
