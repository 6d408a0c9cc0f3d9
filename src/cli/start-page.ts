// The ordinary page the start scripts open DevTools on: DevTools shows extension panels only on
// web pages (not on chrome:// or about: pages), so the scripts serve this one from 127.0.0.1.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>WebRTC Loopback Lab</title>
<body style="font: 14px system-ui, sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5">
<h1>WebRTC Loopback Lab</h1>
<p>DevTools is open on this page with the <b>Loopback</b> panel. Connect opens a data channel between
two peers in the panel; Run diagnosis checks this browser's WebRTC and gives a verdict.</p>
<p>Any web page works the same way: open DevTools (F12) and pick <b>Loopback</b> among its panels.
DevTools shows no extension panels on chrome:// and about: pages.</p>
</body>
</html>
`;

export interface StartPage {
  url: string;
  close(): void;
}

export async function serveStartPage(): Promise<StartPage> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
