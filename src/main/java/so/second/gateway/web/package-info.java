/**
 * Shared web infrastructure: RFC 9457 problem answers for every error, from controllers
 * and from the security filters alike.
 */
package so.second.gateway.web;
