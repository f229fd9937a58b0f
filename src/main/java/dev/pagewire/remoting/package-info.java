/**
 * The registry of exposed objects and the dispatch of calls. Internal: not part of Pagewire's API.
 */
package dev.pagewire.remoting;
