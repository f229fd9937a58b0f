/**
 * Pagewire's API: expose Java objects to pages ({@link dev.pagewire.Pagewire.Builder#expose},
 * {@link dev.pagewire.RemoteProxy}, {@link dev.pagewire.RemoteMethod}), serve them
 * ({@link dev.pagewire.PagewireServlet}, or {@code dev.pagewire.embed.PagewireServer}) and push to
 * the pages ({@link dev.pagewire.Pages}). Every other package is internal (see
 * {@code CONTRIBUTING.md}); the module exports only this one, {@code dev.pagewire.embed}, and
 * {@code dev.pagewire.spi} for the backends that carry pushes between nodes.
 *
 * <h2>Words</h2>
 * One word per concept, in the API, the code, the wire protocol and the docs.
 * <dl>
 * <dt>page</dt>
 * <dd>One loaded HTML document in one browser tab, from the engine's handshake until it unloads,
 * goes quiet past {@code pageIdleTimeout}, loses its HTTP session or is ended. In Java a
 * {@link dev.pagewire.Page}; inside, a {@code push.LivePage}; on the wire, the {@code page} id
 * and the {@code Pagewire-Page} header. DWR calls it a <em>script session</em>:
 * {@link dev.pagewire.ScriptSession} and {@link dev.pagewire.ScriptSessionListener} remain, deprecated,
 * for code moving from DWR. Reloading a tab makes a new page.</dd>
 * <dt>path</dt>
 * <dd>The normalised URL path a page was loaded from ({@link dev.pagewire.Page#path()}), which
 * delivery rules and {@link dev.pagewire.Pages#forPath(String)} match.</dd>
 * <dt>HTTP session</dt>
 * <dd>The container's session, shared by a browser's tabs. A page belongs to exactly one, and
 * every request of the page must carry its cookie.</dd>
 * <dt>exposed object, remote method</dt>
 * <dd>A Java object pages may call (a <em>proxy</em> in JavaScript, named by
 * {@link dev.pagewire.RemoteProxy}), and a method of it they may call.</dd>
 * <dt>call, batch, reply</dt>
 * <dd>A page calling a remote method; the calls the engine sends in one request; the answer to
 * each call, a result or an error.</dd>
 * <dt>upload, download</dt>
 * <dd>A file a page passes as an argument of a call ({@link dev.pagewire.FileUpload}; the call then
 * travels as {@code multipart/form-data}, its files in temporary files until it has finished), and
 * a file a remote method returns ({@link dev.pagewire.FileDownload}), which the page fetches once
 * from a URL bound to its HTTP session ({@code files.Downloads}).</dd>
 * <dt>push, update</dt>
 * <dd>Server code asking pages to run a function ({@link dev.pagewire.PageGroup#call}) or a script;
 * one push becomes one <em>update</em> in the queue of each page it targets, numbered
 * {@code seq} 1, 2, 3... per page and kept until the page acknowledges it ({@code ack}).</dd>
 * <dt>topic, subscription</dt>
 * <dd>A named channel such as {@code /stocks/ACME} ({@link dev.pagewire.Topic}, from
 * {@link dev.pagewire.Pagewire#topics()}); a page's request to get what is published on every topic
 * a pattern ({@code /stocks/*}, {@code /stocks/**}) means. A publish becomes one update, encoded
 * once, in each subscribed page's queue. Pages subscribe and publish only where a
 * {@link dev.pagewire.TopicRule} allows it, through calls of the built-in proxy
 * {@code PagewireTopics} ({@code topic.TopicCalls}).</dd>
 * <dt>page group</dt>
 * <dd>The pages a push goes to ({@link dev.pagewire.PageGroup}), chosen again at each push.</dd>
 * <dt>page interface</dt>
 * <dd>A Java interface describing functions a page exposes, for typed pushes
 * ({@link dev.pagewire.PageInterface}).</dd>
 * <dt>delivery mode</dt>
 * <dd>How updates reach a page ({@link dev.pagewire.DeliveryMode}): passive (on call replies),
 * polling, Comet (a held poll), SSE (a held stream) or WebSocket (a socket that carries the
 * page's calls too, {@code PageSocket}). A <em>held request</em> is a Comet poll or an SSE stream
 * waiting on the server; it holds a connection, never a thread. A socket is no held request (it
 * takes none of the browser's HTTP connections) and holds no thread either. The tabs of one
 * browser may share one socket: the <em>leader</em> tab's socket also carries the pages of the
 * other tabs (<em>followers</em>) that {@code attach} to it, each with its own numbering and
 * acknowledgements ({@link dev.pagewire.Page#carriedBy()}).</dd>
 * <dt>housekeeper</dt>
 * <dd>The periodic task that ends idle pages and writes SSE heartbeats.</dd>
 * </dl>
 *
 * <h2>The path of a call</h2>
 * <ol>
 * <li>{@link dev.pagewire.PagewireServlet} takes {@code POST call} on a container thread; the
 * request checks ({@code security}: host, origin; {@code web}: content type, size) come first. A
 * call carrying files is {@code multipart/form-data}: {@code files.MultipartReader} writes its files
 * to temporary files, within the upload limits, once the page and token are checked.</li>
 * <li>{@code push.PageRegistry} finds the page by id and token and checks the HTTP session.</li>
 * <li>{@code remoting.BatchReader} parses the batch; {@code remoting.CallDispatcher} resolves each
 * call's method, converts its arguments ({@code convert}), checks {@link dev.pagewire.Roles},
 * runs the {@link dev.pagewire.CallFilter}s and invokes the method.</li>
 * <li>{@code remoting.BatchRun} collects the replies, at once or, for methods returning a
 * {@link java.util.concurrent.CompletionStage}, asynchronously ({@code transport.DeferredReply});
 * {@code remoting.ReplyWriter} writes them with the page's queued updates riding along.</li>
 * </ol>
 *
 * <h2>The path of a push</h2>
 * <ol>
 * <li>Application code on any thread calls a {@link dev.pagewire.PageGroup} from
 * {@link dev.pagewire.Pages}; {@code push.PushService} checks and encodes the update once
 * ({@code convert.ValueCheck}, {@code push.UpdateEncoder}).</li>
 * <li>It appends the update to the {@code push.UpdateQueue} of every target page; the queue
 * wakes the page's {@code push.Waiter}, if one waits. With a backend ({@code spi.PushBackend},
 * several nodes) it publishes the update instead, and every node appends it, numbered by the
 * backend, to its own target pages' queues when the backend delivers it.</li>
 * <li>The page's transport ({@code transport}) writes it: on the next call reply (passive), the
 * next poll (polling), the held poll (Comet, {@code LongPoll}), the stream (SSE,
 * {@code EventStream}) or the socket (WebSocket, {@code SocketWriter}), never blocking
 * ({@code AsyncOutput}, or the container's asynchronous send).</li>
 * <li>The update stays queued until a later request of the page acknowledges it, so a write lost
 * on a cut connection is sent again.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * <table>
 * <caption>Who runs what</caption>
 * <tr><th>Thread</th><th>Runs</th></tr>
 * <tr><td>Container request threads</td><td>Handshakes, calls (and the remote methods, filters
 * and argument conversion), polls, acknowledgements, unloads; the container's async callbacks
 * (write possible, timeouts, errors) of held requests; the end of a batch's time budget;
 * downloads ({@code GET download/{id}}, streamed); reading a call's files to temporary files
 * (deleted by the thread that finishes the call). The frames of a WebSocket, one at a time per
 * socket (its calls run there, as for {@code POST call}), and the completions of its sends.</td></tr>
 * <tr><td>Application threads</td><td>Pushes, from any thread; they append to queues and wake
 * waiters, and never write to a socket themselves. A thread that completes a remote method's
 * {@code CompletionStage} writes that call's reply if it is the batch's last.</td></tr>
 * <tr><td>Eight delivery threads, or one per core where there are more ({@code
 * pagewire-delivery-N})</td><td>Comet replies, SSE encoding
 * and writing, WebSocket frames (one writer per socket).</td></tr>
 * <tr><td>The timer thread ({@code pagewire-timer})</td><td>What waits for a time: Comet replies
 * after the write window, the end of a socket batch's time budget, and the housekeeper (page
 * expiry, heartbeats, forgetting rate-limited clients).</td></tr>
 * <tr><td>A backend's thread (with {@code Builder.backend}, e.g. {@code pagewire-feed})</td><td>Pushes of every
 * node, in id order, appended to this node's pages' queues; with a backend, the pushing thread
 * only publishes (one round trip) and never appends.</td></tr>
 * <tr><td>JMX and Micrometer readers</td><td>Read {@link dev.pagewire.PagewireMetrics} on their own
 * threads: sums of adders, and a walk over the live pages for the figures about the present. The
 * threads that do the work only add to counters.</td></tr>
 * <tr><td>{@link dev.pagewire.PageListener} callbacks</td><td>The thread that ended or made the page:
 * {@code created} on the handshake's request thread; {@code destroyed} on an unload or call
 * request thread, the housekeeper (idle pages), the container's thread that unbinds or
 * invalidates the HTTP session, or the thread calling {@link dev.pagewire.Page#invalidate()} or
 * {@link dev.pagewire.Pagewire#close()}; {@code resync} on the pushing thread. Listeners must not
 * block.</td></tr>
 * <tr><td>Topics ({@code topic.TopicHub})</td><td>Server publishes on the publishing thread, as
 * pushes; pages' subscribes and publishes, their {@link dev.pagewire.TopicAccess} checks, the
 * publish listeners ({@link dev.pagewire.TopicListener#publishing}) and service handlers on the
 * call's thread; {@link dev.pagewire.TopicListener}s on the thread of the
 * subscribe, unsubscribe or page end that caused them.</td></tr>
 * </table>
 */
package dev.pagewire;
