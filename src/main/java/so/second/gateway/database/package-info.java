/**
 * Database infrastructure: the embedded PostgreSQL that a local run starts when no
 * external database is configured.
 */
package so.second.gateway.database;
