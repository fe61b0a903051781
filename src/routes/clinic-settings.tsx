import { Hono } from 'hono';
import { getClinicSettings, parseClinicSettings, saveClinicSettings } from '../domain/panels/readiness-warnings.ts';
import { ClinicSettingsPage, clinicSettingsUrl } from '../views/clinic-settings-page.tsx';
import { page, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';

const asText = (n: number) => String(n);

export const clinicSettingsRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/settings', async (c) => {
    const s = await getClinicSettings(c.var.deps.db);
    const values = { staleVisitYears: asText(s.staleVisitYears), staleConfirmationYears: asText(s.staleConfirmationYears) };
    return page(c, <ClinicSettingsPage values={values} saved={c.req.query('saved') === '1'} chrome={c.var.chrome} />);
  })
  .post('/settings', async (c) => {
    const { db, clock } = c.var.deps;
    const body = await c.req.parseBody();
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 20) : '');
    const values = { staleVisitYears: text('staleVisitYears'), staleConfirmationYears: text('staleConfirmationYears') };
    const parsed = parseClinicSettings(values);
    if (!parsed.ok) return page(c, <ClinicSettingsPage values={values} problems={parsed.problems} chrome={c.var.chrome} />, 422);
    await saveClinicSettings(db, clock, c.var.scope, parsed.settings, { route: `${c.req.method} ${c.req.path}`, requestId: c.var.requestId });
    return c.redirect(`${clinicSettingsUrl}?saved=1`, 303);
  });
