#!/usr/bin/env python3
"""AskDB's MCP server held to the official Python SDK (PyPI `mcp`, the version scripts/lib/common.sh
pins), over Streamable HTTP and over the stdio bridge (`askdb-api mcp`), against a running stack
whose model is scripted. scripts/test.sh's `mcp` phase runs it:

    mcp_client.py CONFIG.json

CONFIG.json: {"api": URL, "second_api": URL of another API process on the same stack,
"askdb_api": path of askdb-api, "owner_key": API key, "other_key": API key of a second user,
"connection_id": the owner's indexed Chinook connection, "logs": the stack's log folder}. The
scripted model must answer the question below with SELECT count(*) AS albums FROM album.
Exits non-zero with the failed check's message.
"""
import asyncio
import glob
import json
import os
import sys
import time

from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

QUESTION = "How many albums does the MCP store hold?"
TOOLS = ["list_connections", "describe_schema", "find_tables", "ask", "run_query"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def structured(result):
    check(result.structured_content is not None, f"no structured content: {result}")
    check(result.content and result.content[0].type == "text" and result.content[0].text, f"no text rendering: {result}")
    return result.structured_content


def error_code(result):
    check(result.is_error, f"expected a tool error, got {result.structured_content}")
    return (result.structured_content or {}).get("error", {}).get("code")


async def owner_checks(session, config):
    connection = config["connection_id"]
    tools = await session.list_tools()
    check([tool.name for tool in tools.tools] == TOOLS, f"tools: {[tool.name for tool in tools.tools]}")
    for tool in tools.tools:
        check(tool.input_schema.get("type") == "object" and len(tool.description or "") > 100, f"{tool.name} is not described")

    listed = structured(await session.call_tool("list_connections", {}))
    check(connection in [c["id"] for c in listed["connections"]], f"list_connections: {listed}")

    schema = structured(await session.call_tool("describe_schema", {"connection_id": connection}))
    names = [o["name"] for o in schema["objects"]]
    check(len(names) == 11 and "public.album" in names, f"describe_schema: {names}")
    album = structured(await session.call_tool("describe_schema", {"connection_id": connection, "tables": ["album"]}))["objects"][0]
    check({"album_id", "title", "artist_id"} <= {c["name"] for c in album["columns"]}, f"album: {album}")
    check(album["foreign_keys"] and album["foreign_keys"][0]["references"] == "public.artist", f"album's keys: {album}")

    found = structured(await session.call_tool("find_tables", {"connection_id": connection, "question": "Which artist made each album?", "limit": 5}))
    check(1 <= len(found["tables"]) <= 5, f"find_tables: {found}")

    answer = structured(await session.call_tool("ask", {"connection_id": connection, "question": QUESTION}))
    check(answer["query"] == "SELECT count(*) AS albums FROM album", f"ask's query: {answer}")
    check(answer["rows"] == [[347]] and answer["truncated"] is False and answer["verified"] is False, f"ask: {answer}")
    check(isinstance(answer.get("answer"), str) and answer["answer"], f"ask's answer: {answer}")

    run = structured(await session.call_tool("run_query", {"connection_id": connection, "query": "SELECT artist_id FROM artist ORDER BY artist_id LIMIT 2"}))
    check(run["rows"] == [[1], [2]] and run["truncated"] is False, f"run_query: {run}")
    for destructive in ["DELETE FROM album", "DROP TABLE track", "WITH gone AS (DELETE FROM genre RETURNING *) SELECT * FROM gone"]:
        result = await session.call_tool("run_query", {"connection_id": connection, "query": destructive})
        check(error_code(result) == "not_read_only", f"{destructive}: {result.structured_content}")
    # The rows are still there.
    run = structured(await session.call_tool("run_query", {"connection_id": connection, "query": "SELECT count(*) AS albums FROM album"}))
    check(run["rows"] == [[347]], f"after the refused writes: {run}")

    resources = await session.list_resources()
    uri = f"askdb://connections/{connection}/schema"
    check(uri in [str(r.uri) for r in resources.resources], f"resources: {resources.resources}")
    read = await session.read_resource(uri)
    check("TABLE public.album" in read.contents[0].text, f"schema resource: {read.contents[0].text[:200]}")

    result = await session.call_tool("describe_schema", {})
    check(error_code(result) == "bad_request", f"no arguments: {result.structured_content}")


async def other_user_checks(session, config):
    connection = config["connection_id"]
    listed = structured(await session.call_tool("list_connections", {}))
    check(connection not in [c["id"] for c in listed["connections"]], f"the other user lists the owner's connection: {listed}")
    for name, arguments in [("describe_schema", {}), ("find_tables", {"question": "albums"}), ("ask", {"question": QUESTION}),
                            ("run_query", {"query": "SELECT 1"})]:
        result = await session.call_tool(name, {"connection_id": connection, **arguments})
        check(error_code(result) == "not_found", f"the other user's {name}: {result.structured_content}")
    resources = await session.list_resources()
    check(not [r for r in resources.resources if connection in str(r.uri)], f"the other user's resources: {resources.resources}")
    try:
        await session.read_resource(f"askdb://connections/{connection}/schema")
        check(False, "the other user read the owner's schema resource")
    except Exception as error:  # the SDK raises the JSON-RPC error
        check("not found" in str(error), f"the other user's resource read: {error}")


async def over_http(config, key, checks):
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {key}"}) as client:
        async with streamable_http_client(config["api"] + "/mcp", http_client=client) as (read, write):
            async with ClientSession(read, write) as session:
                initialized = await session.initialize()
                check(initialized.server_info.name == "askdb", f"server: {initialized.server_info}")
                await checks(session, config)


async def over_stdio(config, key, checks):
    server = StdioServerParameters(command=config["askdb_api"], args=["mcp", "--url", config["api"]], env={"ASKDB_API_KEY": key})
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await checks(session, config)


async def across_processes(config):
    """No session: a client initialised by one API process goes on with another, as behind a
    load balancer, and what it posts is answered without any Mcp-Session-Id."""
    headers = {"Authorization": f"Bearer {config['owner_key']}", "Accept": "application/json, text/event-stream"}
    async with create_mcp_http_client(headers=headers) as client:
        def message(id, method, params):
            return {"jsonrpc": "2.0", "id": id, "method": method, "params": params}
        first = await client.post(config["second_api"] + "/mcp", json=message(1, "initialize", {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}))
        check(first.status_code == 200 and "mcp-session-id" not in first.headers, f"initialize: {first.status_code} {first.headers}")
        version = first.json()["result"]["protocolVersion"]
        accepted = await client.post(config["api"] + "/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                                     headers={"MCP-Protocol-Version": version})
        check(accepted.status_code == 202, f"notifications/initialized: {accepted.status_code}")
        listed = await client.post(config["api"] + "/mcp", json=message(2, "tools/call", {"name": "list_connections", "arguments": {}}),
                                   headers={"MCP-Protocol-Version": version})
        ids = [c["id"] for c in listed.json()["result"]["structuredContent"]["connections"]]
        check(config["connection_id"] in ids, f"list_connections on the other process: {listed.text[:300]}")
        streamless = await client.get(config["api"] + "/mcp")
        check(streamless.status_code == 405, f"GET /mcp: {streamless.status_code}")


async def refused_key(config):
    """A wrong key through the bridge is a JSON-RPC error the client shows, not a hang."""
    server = StdioServerParameters(command=config["askdb_api"], args=["mcp", "--url", config["api"]],
                                   env={"ASKDB_API_KEY": "askdb_not-a-real-key"})
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            try:
                await session.initialize()
            except MCPError as error:
                check((error.error.data or {}).get("status") == 401, f"a wrong key: {error.error}")
                return
            check(False, "a wrong key initialised a session")


def keys_never_logged(config):
    for path in glob.glob(os.path.join(config["logs"], "*.log")):
        text = open(path, encoding="utf-8", errors="replace").read()
        for name in ["owner_key", "other_key"]:
            check(config[name] not in text, f"{path} holds the {name}")


async def main():
    config = json.load(open(sys.argv[1]))
    await asyncio.wait_for(refused_key(config), timeout=30)
    print("mcp: a wrong key through the bridge is refused as the REST API refuses it (401)", flush=True)
    await asyncio.wait_for(across_processes(config), timeout=30)
    print("mcp: initialised on one API process, served by another", flush=True)
    for transport, run in [("http", over_http), ("stdio", over_stdio)]:
        for who, key, checks in [("owner", config["owner_key"], owner_checks), ("other user", config["other_key"], other_user_checks)]:
            started = time.monotonic()
            await asyncio.wait_for(run(config, key, checks), timeout=120)
            print(f"mcp: {transport}, {who}: passed in {time.monotonic() - started:.1f} s", flush=True)
    keys_never_logged(config)
    print("mcp: no log line of the stack holds an API key", flush=True)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except AssertionError as failure:
        print(f"mcp: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
