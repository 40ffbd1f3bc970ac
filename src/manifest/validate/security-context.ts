/**
 * Security contexts of k/k:pkg/apis/core/validation/validation.go (release-1.33):
 * ValidateSecurityContext for a container and validatePodSpecSecurityContext for the Pod
 * (IDs, sysctls, seccomp and AppArmor profiles, fsGroup, supplemental groups and SELinux change
 * policies). Feature gates follow 1.33's defaults (noted where a rule depends on one).
 */
import { duplicate as dup, type FieldError, invalid, notSupported, required } from '../../errors/field.ts';
import { isSet, list, localDescendingPath, num, type Obj, obj, str } from './common.ts';

const ID_RANGE = 'must be between 0 and 2147483647, inclusive';

function idErrors(v: unknown, field: string): FieldError[] {
  if (!isSet(v)) return [];
  const n = num(v);
  return n < 0 || n > 2147483647 ? [invalid(field, n, ID_RANGE)] : [];
}

/** validateSeccompProfileField. */
function seccompProfile(sp: Obj | undefined, field: string): FieldError[] {
  if (!sp) return [];
  const out: FieldError[] = [];
  const type = str(sp.type);
  if (type === '') out.push(required(`${field}.type`, 'type is required when seccompProfile is set'));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type))
    out.push(notSupported(`${field}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  if (type === 'Localhost') {
    if (!isSet(sp.localhostProfile))
      out.push(required(`${field}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else out.push(...localDescendingPath(str(sp.localhostProfile), `${field}.localhostProfile`));
  } else if (isSet(sp.localhostProfile)) {
    out.push(
      invalid(
        `${field}.localhostProfile`,
        { goSyntax: seccompGoSyntax(sp) },
        'can only be set when seccomp type is Localhost',
      ),
    );
  }
  return out;
}

function seccompGoSyntax(sp: Obj): string {
  return `&core.SeccompProfile{Type:${JSON.stringify(str(sp.type))}, LocalhostProfile:(*string)(…)}`;
}

/** ValidateAppArmorProfileField. */
function appArmorProfile(p: Obj | undefined, field: string): FieldError[] {
  if (!p) return [];
  const type = str(p.type);
  const local = p.localhostProfile;
  if (type === 'Localhost') {
    if (!isSet(local))
      return [required(`${field}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
    const s = str(local);
    const out: FieldError[] = [];
    if (s.trim() !== s)
      out.push(invalid(`${field}.localhostProfile`, s, 'must not be padded with whitespace'));
    else if (s === '')
      out.push(required(`${field}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
    if (s.length > 4095)
      out.push({ field: `${field}.localhostProfile`, body: 'Too long: may not be more than 4095 bytes' });
    return out;
  }
  if (type === 'RuntimeDefault' || type === 'Unconfined') {
    return isSet(local)
      ? [invalid(`${field}.localhostProfile`, str(local), 'can only be set when AppArmor type is Localhost')]
      : [];
  }
  if (type === '') return [required(`${field}.type`, 'type is required when appArmorProfile is set')];
  return [notSupported(`${field}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined'])];
}

/**
 * ValidateSecurityContext for a container (privileged is allowed: kubeadm and kind run the API
 * server with --allow-privileged=true). The `allowPrivilegeEscalation` conflicts print the whole
 * internal struct upstream (with pointer addresses); podlab prints a stable stand-in.
 */
export function validateContainerSecurityContext(
  sc: Obj | undefined,
  field: string,
  hostUsers = true,
): FieldError[] {
  if (!sc) return [];
  const out: FieldError[] = [];
  out.push(...idErrors(sc.runAsUser, `${field}.runAsUser`));
  out.push(...idErrors(sc.runAsGroup, `${field}.runAsGroup`));
  if (isSet(sc.procMount)) {
    const procMount = str(sc.procMount);
    if (!['Default', 'Unmasked'].includes(procMount))
      out.push(notSupported(`${field}.procMount`, procMount, ['Default', 'Unmasked']));
    // ProcMountType (beta, on in 1.33): an unmasked /proc only inside a user namespace.
    if (hostUsers && procMount === 'Unmasked')
      out.push(invalid(`${field}.procMount`, procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  out.push(...seccompProfile(obj(sc.seccompProfile), `${field}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    const value = { goSyntax: '&core.SecurityContext{…}' };
    if (sc.privileged === true)
      out.push(
        invalid(field, value, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'),
      );
    const add = obj(sc.capabilities)?.add;
    if (Array.isArray(add) && add.includes('CAP_SYS_ADMIN'))
      out.push(
        invalid(
          field,
          value,
          'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
        ),
      );
  }
  out.push(...appArmorProfile(obj(sc.appArmorProfile), `${field}.appArmorProfile`));
  return out;
}

/** SysctlContainSlashFmt, printed in the error as Go writes it: `[\./]`, the escape kept. */
const SYSCTL_FMT = '([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_RE = new RegExp(`^${SYSCTL_FMT}$`);

/** utilsysctl.GetNamespace: the kernel namespace a sysctl belongs to. */
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  const n = name.replaceAll('/', '.');
  if (n.startsWith('net.')) return 'net';
  if (['kernel.sem'].includes(n) || /^(kernel\.shm|kernel\.msg|fs\.mqueue\.)/.test(n)) return 'ipc';
  return '';
}

/** validatePodSpecSecurityContext (hostNetwork/hostPID/hostIPC live in the spec in v1). */
export function validatePodSecurityContext(spec: Obj): FieldError[] {
  const sc = obj(spec.securityContext);
  if (!sc) return [];
  const f = 'spec.securityContext';
  const out: FieldError[] = [];
  out.push(...idErrors(sc.fsGroup, `${f}.fsGroup`));
  out.push(...idErrors(sc.runAsUser, `${f}.runAsUser`));
  out.push(...idErrors(sc.runAsGroup, `${f}.runAsGroup`));
  if (Array.isArray(sc.supplementalGroups))
    sc.supplementalGroups.forEach((g, i) => {
      out.push(...idErrors(g, `${f}.supplementalGroups[${i}]`));
    });
  if (spec.shareProcessNamespace === true && spec.hostPID === true)
    out.push(
      invalid(`${f}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'),
    );
  const names = new Set<string>();
  list(sc.sysctls).forEach((s, i) => {
    const p = `${f}.sysctls[${i}].name`;
    const name = str(s.name);
    if (name === '') out.push(required(p));
    else if (name.length > 253 || !SYSCTL_RE.test(name))
      out.push(invalid(p, name, `must have at most 253 characters and match regex ^${SYSCTL_FMT}$`));
    else if (names.has(name)) out.push(dup(p, name));
    const ns = sysctlNamespace(name);
    if (ns === 'net' && spec.hostNetwork === true)
      out.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (ns === 'ipc' && spec.hostIPC === true)
      out.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  if (isSet(sc.fsGroupChangePolicy) && !['Always', 'OnRootMismatch'].includes(str(sc.fsGroupChangePolicy)))
    out.push(
      notSupported(`${f}.fsGroupChangePolicy`, str(sc.fsGroupChangePolicy), ['Always', 'OnRootMismatch']),
    );
  out.push(...seccompProfile(obj(sc.seccompProfile), `${f}.seccompProfile`));
  out.push(...appArmorProfile(obj(sc.appArmorProfile), `${f}.appArmorProfile`));
  // SupplementalGroupsPolicy and SELinuxChangePolicy are beta and on by default in 1.33.
  if (isSet(sc.supplementalGroupsPolicy) && !['Merge', 'Strict'].includes(str(sc.supplementalGroupsPolicy)))
    out.push(
      notSupported(`${f}.supplementalGroupsPolicy`, str(sc.supplementalGroupsPolicy), ['Merge', 'Strict']),
    );
  // validateSELinuxChangePolicy with AllowOnlyRecursiveSELinuxChangePolicy: on a create,
  // pkg/api/pod/util.go useOnlyRecursiveSELinuxChangePolicy allows only `Recursive` while the
  // SELinuxMount gate is off (beta, off by default in 1.33), so `MountOption` is refused.
  if (isSet(sc.seLinuxChangePolicy) && str(sc.seLinuxChangePolicy) !== 'Recursive')
    out.push(notSupported(`${f}.seLinuxChangePolicy`, str(sc.seLinuxChangePolicy), ['Recursive']));
  return out;
}
