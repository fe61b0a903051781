import { Hono } from 'hono';
import { getPractitioner, listPractitioners, setPractitionerId } from '../domain/panels/practitioners.ts';
import { PractitionersPage, practitionersUrl } from '../views/practitioners-page.tsx';
import { PractitionerForm, PractitionerFormPage, type PractitionerFormProps } from '../views/practitioner-form.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, wantsFragment, type AppEnv, type AppContext } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';

// An id too long for a number (Infinity) would reach SQL and throw: 0 is no practitioner, so a 404.
const idOf = (c: AppContext) => { const id = Number(c.req.param('practitionerId')); return Number.isSafeInteger(id) ? id : 0; };

function notFound(c: AppContext) {
  return page(c, <ErrorPage status={404} message="There is no practitioner with that number." chrome={c.var.chrome} />, 404);
}

function formView(c: AppContext, props: PractitionerFormProps, status: 200 | 422) {
  if (wantsFragment(c) && status === 422) return c.html(<PractitionerForm {...props} />, 422);
  return page(c, <PractitionerFormPage {...props} chrome={c.var.chrome} />, status);
}

export const practitionersRoutes = new Hono<AppEnv>()
  .use(requirePermission('manage_users'))
  .get('/', async (c) => page(c, <PractitionersPage practitioners={await listPractitioners(c.var.deps.db)} chrome={c.var.chrome} />))
  .get('/:practitionerId{[0-9]+}/edit', async (c) => {
    const practitioner = await getPractitioner(c.var.deps.db, idOf(c));
    if (!practitioner) return notFound(c);
    return formView(c, { practitioner, value: practitioner.practitionerId ?? '' }, 200);
  })
  .post('/:practitionerId{[0-9]+}', async (c) => {
    const { db } = c.var.deps;
    const body = await c.req.parseBody();
    const value = typeof body.practitionerId === 'string' ? body.practitionerId : '';
    const result = await setPractitionerId(db, c.var.scope, idOf(c), value);
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) {
      const practitioner = await getPractitioner(db, idOf(c));
      if (!practitioner) return notFound(c);
      return formView(c, { practitioner, value, error: result.error }, 422);
    }
    await audit(c, { action: 'edit', objectType: 'practitioner', objectId: idOf(c) });
    const location = `${practitionersUrl}#practitioner-${idOf(c)}`;
    if (!wantsFragment(c)) return c.redirect(location, 303);
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  });
