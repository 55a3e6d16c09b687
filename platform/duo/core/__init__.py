"""The core: what every capability stands on (database, settings, tenancy, auth, i18n,
jobs, mail, calendar invitations and feeds, and the dashboard frame). It imports no capability; capabilities plug into it
through the registries it offers (navigation, to-dos, jobs, events)."""
