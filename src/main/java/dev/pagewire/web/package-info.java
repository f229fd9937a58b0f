/**
 * HTTP plumbing shared by the endpoints: bounded body reading and JSON refusals.
 * Internal: not part of Pagewire's API.
 */
package dev.pagewire.web;
