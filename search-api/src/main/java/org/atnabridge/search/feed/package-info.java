/**
 * The FHIR Feed (IHE ITI-20 "Send Audit Resource" and "Send Audit Bundle", RESTful ATNA): clients
 * POST AuditEvents, each is checked ({@link org.atnabridge.search.feed.FeedValidator}; marks only
 * the server sets are refused, {@link org.atnabridge.search.feed.ServerOwnedMarks}), given a
 * content-derived id ({@link org.atnabridge.search.feed.FeedIds}) and written to
 * {@code audit.events} ({@link org.atnabridge.search.feed.AuditEventFeed}); the search API never
 * writes anywhere else. The same downstream steps then treat it like a converted syslog message.
 */
@NullMarked
package org.atnabridge.search.feed;

import org.jspecify.annotations.NullMarked;
