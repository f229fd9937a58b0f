/**
 * How updates travel to pages: the delivery rules, and one class per transport (piggyback on
 * call replies, polling, Comet long-poll, Server-Sent Events). Internal: not part of Pagewire's API.
 */
package dev.pagewire.transport;
