// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of congestion controllers (struct ttp_cc_ops, cc.h), and
 * which one a socket uses: TTP_CONGESTION, or net.ttp.congestion_control
 * of its namespace, as TCP's tcp_cong.c does for TCP.
 *
 * A controller may live in a module of its own that calls
 * ttp_cc_register() when it loads and ttp_cc_unregister() when it goes.
 * Each socket using it holds a reference on that module (try_module_get()
 * when the socket takes it, module_put() when it lets go), and so does a
 * namespace whose default it is: the module cannot go while either lasts.
 * NewReno and CUBIC are built into ttp.ko (owner NULL): every TTP socket
 * holds ttp.ko already.  A name not registered may be a module not yet
 * loaded: "ttp-cc-NAME" is asked of modprobe, for CAP_NET_ADMIN only.
 *
 * Locking: ttp_cc_list_lock serialises writers of ttp_cc_list; readers
 * walk it under RCU.  A namespace's default (ttp_sysctl.cc) is an RCU
 * pointer, swapped under ttp_cc_list_lock too.
 */
#include <linux/capability.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <kunit/visibility.h>

#include "ttp.h"

static DEFINE_SPINLOCK(ttp_cc_list_lock);
static LIST_HEAD(ttp_cc_list);

/* Under RCU or ttp_cc_list_lock. */
static struct ttp_cc_ops *ttp_cc_find(const char *name)
{
	struct ttp_cc_ops *ops;

	list_for_each_entry_rcu(ops, &ttp_cc_list, list,
				lockdep_is_held(&ttp_cc_list_lock))
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/**
 * ttp_cc_register() - make a congestion controller available
 * @ops: the controller, with a name, cong_avoid and ssthresh; it must
 *	stay until ttp_cc_unregister()
 *
 * Return: 0, -EINVAL for a controller without its name or a required
 * hook, or -EEXIST if its name is taken.
 */
int ttp_cc_register(struct ttp_cc_ops *ops)
{
	int err = 0;

	if (!ops->cong_avoid || !ops->ssthresh || !ops->name[0] ||
	    strnlen(ops->name, TTP_CA_NAME_MAX) == TTP_CA_NAME_MAX) {
		pr_err("ttp: congestion control %.*s lacks a name or a hook\n",
		       TTP_CA_NAME_MAX, ops->name);
		return -EINVAL;
	}
	spin_lock(&ttp_cc_list_lock);
	if (ttp_cc_find(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &ttp_cc_list);
	spin_unlock(&ttp_cc_list_lock);
	if (err)
		pr_notice("ttp: congestion control %s is registered already\n",
			  ops->name);
	else
		pr_debug("ttp: congestion control %s registered\n", ops->name);
	return err;
}
EXPORT_SYMBOL_GPL(ttp_cc_register);

/**
 * ttp_cc_unregister() - withdraw a congestion controller
 * @ops: what ttp_cc_register() was given
 *
 * No new socket can take it once this returns.  Sockets still using it
 * hold its module, so a module's exit comes only after they are gone.
 */
void ttp_cc_unregister(struct ttp_cc_ops *ops)
{
	spin_lock(&ttp_cc_list_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&ttp_cc_list_lock);
	/* A lookup may still be looking at it. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(ttp_cc_unregister);

/* The controller named, with a reference on its module; NULL if none. */
static const struct ttp_cc_ops *ttp_cc_get_noload(const char *name)
{
	const struct ttp_cc_ops *ops;

	rcu_read_lock();
	ops = ttp_cc_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;	/* its module is going */
	rcu_read_unlock();
	return ops;
}

/**
 * ttp_cc_get() - a congestion controller by its name, held
 * @name: the name, NUL-terminated
 *
 * A name not registered is loaded as module "ttp-cc-@name" if the caller
 * has CAP_NET_ADMIN (as TCP's "tcp_@name").  Process context.
 *
 * Return: the controller, with a reference on its module
 * (ttp_cc_put()), or NULL.
 */
const struct ttp_cc_ops *ttp_cc_get(const char *name)
{
	const struct ttp_cc_ops *ops = ttp_cc_get_noload(name);

	if (!ops && capable(CAP_NET_ADMIN)) {
		request_module("ttp-cc-%s", name);
		ops = ttp_cc_get_noload(name);
	}
	return ops;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_get);

/**
 * ttp_cc_put() - drop what ttp_cc_get() took
 * @ops: the controller, or NULL
 */
void ttp_cc_put(const struct ttp_cc_ops *ops)
{
	if (ops)
		module_put(ops->owner);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_put);

/**
 * ttp_cc_release() - the connection lets its controller go
 * @cc: the state
 *
 * Its release hook, then the reference on its module; the state is left
 * to NewReno (ops NULL).
 */
void ttp_cc_release(struct ttp_cc *cc)
{
	const struct ttp_cc_ops *ops = cc->ops;

	if (!ops)
		return;
	if (ops->release)
		ops->release(cc);
	cc->ops = NULL;
	ttp_cc_put(ops);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_release);

/**
 * ttp_cc_set() - a connection takes a controller, from now on
 * @cc: the state
 * @ops: the controller, held by the caller: the reference passes to @cc
 * @mss: the connection's MSS
 *
 * The window and ssthresh stay as they are; the old controller's state is
 * released, the new one's starts from zero (its init hook).
 *
 * Return: 0.
 */
int ttp_cc_set(struct ttp_cc *cc, const struct ttp_cc_ops *ops, u32 mss)
{
	if (ops == cc->ops) {
		ttp_cc_put(ops);	/* held once is enough */
		return 0;
	}
	ttp_cc_release(cc);
	cc->ops = ops;
	memset(cc->priv, 0, sizeof(cc->priv));
	cc->acked_acc = 0;
	if (ops->init)
		ops->init(cc, mss);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_set);

/**
 * ttp_cc_set_default() - a new socket takes its namespace's controller
 * @sk: the socket, new
 *
 * Any context: the namespace holds its default's module, so a reference
 * on it cannot fail; if it does all the same, NewReno.
 */
void ttp_cc_set_default(struct sock *sk)
{
	struct ttp_cc *cc = &ttp_sk(sk)->cc;
	const struct ttp_cc_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(ttp_pernet(sock_net(sk))->sysctl.cc);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	rcu_read_unlock();
	cc->ops = ops;
}

/**
 * ttp_cc_inherit() - a listener's child takes the listener's controller
 * @child: the child, with its namespace's default taken
 * @parent: the listener, locked
 */
void ttp_cc_inherit(struct sock *child, const struct sock *parent)
{
	const struct ttp_cc_ops *ops = ttp_sk(parent)->cc.ops;

	/* The parent holds it: a reference cannot fail. */
	__module_get(ops ? ops->owner : NULL);
	ttp_cc_release(&ttp_sk(child)->cc);
	ttp_sk(child)->cc.ops = ops;
}

/* ---- net.ttp.congestion_control ---- */

/**
 * ttp_cc_net_init() - a new namespace's default: NewReno
 * @s: its tunables
 */
void ttp_cc_net_init(struct ttp_sysctl *s)
{
	RCU_INIT_POINTER(s->cc, &ttp_newreno);
}

/**
 * ttp_cc_net_exit() - a namespace goes: the reference on its default too
 * @s: its tunables
 */
void ttp_cc_net_exit(struct ttp_sysctl *s)
{
	ttp_cc_put(rcu_dereference_protected(s->cc, true));
}

/**
 * ttp_proc_congestion_control() - read or write
 *	net.ttp.congestion_control
 * @ctl: the entry; data points at ttp_sysctl.cc of the namespace
 * @write: a write
 * @buffer: the text
 * @lenp: its length
 * @ppos: the position in the file
 *
 * Writing a name not registered (nor loadable) fails with ENOENT.
 *
 * Return: 0 or a negative errno.
 */
int ttp_proc_congestion_control(TTP_CTL_TABLE *ctl, int write, void *buffer,
				size_t *lenp, loff_t *ppos)
{
	struct ttp_sysctl *s = container_of((const struct ttp_cc_ops __rcu **)
					    ctl->data, struct ttp_sysctl, cc);
	char name[TTP_CA_NAME_MAX];
	struct ctl_table tbl = {
		.data	= name,
		.maxlen	= sizeof(name),
	};
	const struct ttp_cc_ops *ops, *old;
	int err;

	rcu_read_lock();
	ops = rcu_dereference(s->cc);
	strscpy(name, ops ? ops->name : "", sizeof(name));
	rcu_read_unlock();

	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	ops = ttp_cc_get(name);
	if (!ops)
		return -ENOENT;
	spin_lock(&ttp_cc_list_lock);
	old = rcu_replace_pointer(s->cc, ops,
				  lockdep_is_held(&ttp_cc_list_lock));
	spin_unlock(&ttp_cc_list_lock);
	/* A socket may be taking it: it did with a reference of its own. */
	synchronize_rcu();
	ttp_cc_put(old);
	return 0;
}

/**
 * ttp_proc_available_cc() - read net.ttp.available_congestion_control
 * @ctl: the entry
 * @write: a write (the entry is read-only)
 * @buffer: the text
 * @lenp: its length
 * @ppos: the position in the file
 *
 * The names registered, in the order they were, separated by spaces.
 *
 * Return: 0 or a negative errno.
 */
int ttp_proc_available_cc(TTP_CTL_TABLE *ctl, int write, void *buffer,
			  size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = TTP_CC_LIST_MAX };
	const struct ttp_cc_ops *ops;
	size_t off = 0;
	char *names;
	int err;

	names = kzalloc(TTP_CC_LIST_MAX, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	rcu_read_lock();
	list_for_each_entry_rcu(ops, &ttp_cc_list, list)
		off += scnprintf(names + off, TTP_CC_LIST_MAX - off, "%s%s",
				 off ? " " : "", ops->name);
	rcu_read_unlock();
	tbl.data = names;
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	kfree(names);
	return err;
}

/**
 * ttp_cc_builtin_register() - NewReno and CUBIC, at module load
 *
 * Return: 0, or a negative errno.
 */
int ttp_cc_builtin_register(void)
{
	int err = ttp_cc_register(&ttp_newreno);

	if (err)
		return err;
	err = ttp_cc_register(&ttp_cubic);
	if (err)
		ttp_cc_unregister(&ttp_newreno);
	return err;
}

/**
 * ttp_cc_builtin_unregister() - undo ttp_cc_builtin_register()
 */
void ttp_cc_builtin_unregister(void)
{
	ttp_cc_unregister(&ttp_cubic);
	ttp_cc_unregister(&ttp_newreno);
}
