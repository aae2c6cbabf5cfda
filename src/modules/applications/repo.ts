/**
 * Applications: all the SQL of application_services, application_form_versions, applications,
 * application_files, application_events and application_messages, split by capability.
 */
export * from './repo/services.ts';
export * from './repo/applications.ts';
export * from './repo/prechecks.ts';
