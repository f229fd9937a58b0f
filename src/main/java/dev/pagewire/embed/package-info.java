/**
 * An embedded Tomcat that serves a {@link dev.pagewire.Pagewire} and static pages: for
 * development, tests and small deployments. The only package that imports Tomcat.
 */
package dev.pagewire.embed;
