/**
 * Usage-data settings (the account menu's anonymization and screen-recording switches,
 * with their coupling rules) and the analytics config route that tells the browser when
 * to start session replay.
 */
package so.second.gateway.settings;
