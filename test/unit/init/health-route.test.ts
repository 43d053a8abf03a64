import { describe, expect, it } from 'vitest';
import { appSpecOf, healthRouteFor, moduleFile, type FileReader } from '../../../src/init/health-route.js';

// Health from the code: the app module a command names and the route it declares.

function files(tree: Record<string, string>): FileReader {
  const at = (p: string): string => p.replace(/^\/srv\//, '');
  return { exists: (p) => at(p) in tree, read: (p) => tree[at(p)] ?? null };
}

describe('init: health route from the app module', () => {
  it('api_v2.app:app -> api_v2/app.py, or a package __init__.py', () => {
    const fs = files({ 'api_v2/app.py': '', 'web/__init__.py': '' });
    expect(moduleFile('api_v2.app', '/srv', fs)).toBe('api_v2/app.py');
    expect(moduleFile('web', '/srv', fs)).toBe('web/__init__.py');
    expect(moduleFile('nope.app', '/srv', fs)).toBeNull();
  });

  it('@app.get("/health") with its line; the looked-for names in order (/health before /status)', () => {
    const fs = files({ 'api_v2/app.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/status")\ndef s(): ...\n\n@app.get("/health")\nasync def health():\n    return {"ok": True}\n' });
    expect(healthRouteFor('api_v2.app:app', '/srv', fs)).toEqual({ path: '/health', file: 'api_v2/app.py', line: 7 });
  });

  it("the incident's web app: @app.get('/api/health'), not /health", () => {
    const fs = files({ 'web/app.py': "app = FastAPI(title='web')\n@app.get('/')\ndef index(): ...\n@app.get('/api/health')\ndef h(): ...\n" });
    expect(healthRouteFor('web.app:app', '/srv', fs)?.path).toBe('/api/health');
  });

  it('@router.get with APIRouter(prefix=…) included with a prefix of its own, from another module', () => {
    const fs = files({
      'app/main.py': 'from fastapi import FastAPI\nfrom app.api import health\napp = FastAPI()\napp.include_router(health.router, prefix="/api")\n',
      'app/api/health.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/v1", tags=["h"])\n\n@router.get("/healthz")\ndef hz(): ...\n',
      'app/api/__init__.py': '',
    });
    expect(healthRouteFor('app.main:app', '/srv', fs)).toEqual({ path: '/api/v1/healthz', file: 'app/api/health.py', line: 4 });
  });

  it('relative imports, `from .x import router as name`, multi-line imports', () => {
    const fs = files({
      'svc/main.py': 'from fastapi import FastAPI\nfrom .routes import (\n    users,\n    ping as ping_routes,\n)\nfrom .health import router as health_router\napp = FastAPI()\napp.include_router(health_router)\napp.include_router(ping_routes.router)\n',
      'svc/health.py': 'router = APIRouter()\n@router.get("/health")\ndef h(): ...\n',
      'svc/routes/ping.py': 'router = APIRouter()\n@router.get("/ping")\ndef p(): ...\n',
      'svc/routes/__init__.py': '',
    });
    expect(healthRouteFor('svc.main:app', '/srv', fs)?.path).toBe('/health');
  });

  it('a router that is never included serves nothing', () => {
    const fs = files({ 'm.py': 'app = FastAPI()\nrouter = APIRouter()\n@router.get("/health")\ndef h(): ...\n' });
    expect(healthRouteFor('m:app', '/srv', fs)).toBeNull();
  });

  it('app.add_api_route and Flask @app.route (GET by default; methods=["POST"] is no probe target)', () => {
    expect(healthRouteFor('m:app', '/srv', files({ 'm.py': 'app = FastAPI()\napp.add_api_route("/healthz", hz)\n' }))?.path).toBe('/healthz');
    const flask = files({ 'wsgi.py': 'from flask import Flask\napp = Flask(__name__)\n@app.route("/health", methods=["POST"])\ndef a(): ...\n@app.route("/ping")\ndef b(): ...\n' });
    expect(healthRouteFor('wsgi:app', '/srv', flask)?.path).toBe('/ping');
  });

  it('Flask blueprints with url_prefix, and a create_app() factory imported from the package', () => {
    const fs = files({
      'wsgi.py': 'from app import create_app\napp = create_app()\n',
      'app/__init__.py': 'from flask import Flask\nfrom .views import bp\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp, url_prefix="/api")\n    return app\n',
      'app/views.py': 'from flask import Blueprint\nbp = Blueprint("main", __name__)\n@bp.route("/health")\ndef h(): ...\n',
    });
    expect(healthRouteFor('wsgi:app', '/srv', fs)).toEqual({ path: '/api/health', file: 'app/views.py', line: 3 });
  });

  it('a path with a parameter is no health route; /api/v1/health counts by its last segment', () => {
    const fs = files({ 'm.py': 'app = FastAPI()\n@app.get("/items/{status}")\ndef a(): ...\n@app.get("/api/v1/health")\ndef b(): ...\n' });
    expect(healthRouteFor('m:app', '/srv', fs)?.path).toBe('/api/v1/health');
  });

  it('the app spec from uvicorn/gunicorn words, FLASK_APP, or flask run alone', () => {
    expect(appSpecOf(['uvicorn', 'api_v2.app:app', '--port', '8002'], {})).toBe('api_v2.app:app');
    expect(appSpecOf(['gunicorn', '-w', '2', 'wsgi:create_app()'], {})).toBe('wsgi:create_app()');
    expect(appSpecOf(['flask', 'run'], { FLASK_APP: 'web/app.py' })).toBe('web.app');
    expect(appSpecOf(['flask', '--app', 'hello', 'run'], {})).toBe('hello');
    expect(appSpecOf(['fastapi', 'run', '--port', '4101'], {})).toBe('main');
    expect(appSpecOf(['fastapi', 'run', 'src/api.py'], {})).toBe('src.api');
    expect(appSpecOf(['python', 'bot.py'], {})).toBeNull();
  });
});
